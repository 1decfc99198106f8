"""Pilot and governance routes (the `pilot` entry of the route list): consent and satisfaction, admin pilot."""

from companion.api.routes import pilot_admin, pilot_consent

ROUTES = [*pilot_consent.ROUTES, *pilot_admin.ROUTES]

BACKGROUND = [pilot_consent.autopurge_timer]
