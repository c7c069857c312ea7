"""Analytics: anomaly detection over supply-chain journeys and food-safety early warnings."""
