"""Wires meals' part of the cook-area rule into the cook's profile service.

Accounts sit below meals and may not import it, so accounts.onboarding.services keeps a list of checks
that hold a cook to their area; this adds "a live match holds the cook to the diner's area". Imported by
MealsConfig.ready(), once the models are loaded.
"""

from accounts.onboarding.services import hold_cooks_to_their_area
from meals.matching.services import live_match_holding

hold_cooks_to_their_area(live_match_holding)
