"""pki layer."""
