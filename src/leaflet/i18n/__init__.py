"""Languages: extracting texts for translators, translating a leaflet, the tool's own labels."""
