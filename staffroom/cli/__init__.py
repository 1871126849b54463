"""The ``staffroom`` command."""
