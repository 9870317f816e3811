"""lds layer."""
