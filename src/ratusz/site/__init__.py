"""The city's site: settings control panel, theme viewlets, languages, demo."""
