"""Our date and number formats, by language (FORMAT_MODULE_PATH); Django\x27s own for the rest."""
