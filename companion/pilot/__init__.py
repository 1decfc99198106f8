"""Pilot and governance: consent rules, retention, pilot metrics, scorecard, blind review, admin dashboard."""
