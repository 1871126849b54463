from staffroom.cli.main import main

main()
