"""Browser journeys: Playwright drives Debian's Chromium against the live server."""
