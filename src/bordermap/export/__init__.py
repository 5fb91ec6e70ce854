"""Export: a drawn map written whole as a page, a print image or GeoJSON, offline when asked."""
