"""Media files: the image pipeline (``images``) and where files are stored (``storage``)."""
