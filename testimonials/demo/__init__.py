"""The synthetic, reproducible demo data set (`flask --app app demo load`)."""
