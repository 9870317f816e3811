"""iso7816 layer."""
