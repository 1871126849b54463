"""Domain services: one module per use case, each taking an open ``Connection``."""
