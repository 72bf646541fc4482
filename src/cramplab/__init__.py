"""cramplab: curated USDA data and helpers for the muscle-cramp nutrition course."""
