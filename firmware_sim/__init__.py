"""Firmware simulator: speaks the real reader serial protocols byte for byte over a pty or TCP,
and generates supply-chain scenarios."""
