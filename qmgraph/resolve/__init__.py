"""Resolve stage: surfaces from extract → canonical jurisdictions, organizations, campaigns."""
