"""The indicator store: schema, engine and every query the app runs."""
