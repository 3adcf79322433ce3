"""Tests of site_tools.render."""
