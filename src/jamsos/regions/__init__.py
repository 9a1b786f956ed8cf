"""Indonesian administrative regions (wilayah) with Kemendagri codes."""
