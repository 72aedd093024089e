"""Extract -> validate -> load. The only code that writes to the indicator database."""
