"""Reusable Dash pieces and pure figure builders. No database access here."""
