"""Server-rendered HTML pages (work without JavaScript)."""
