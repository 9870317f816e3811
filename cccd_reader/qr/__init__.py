"""qr layer."""
