"""Self-checks for notebook 07_planning_a_day."""

from __future__ import annotations

from cramplab.checks.core import exercise, invalid, kind, right, wrong

__all__ = ["menu_within_calories", "menu_without"]


def _a_menu_meeting_targets(answer):
    from cramplab.plan import Menu

    if not isinstance(answer, Menu):
        invalid(f"Expected the Menu that plan.plan_menu(...) returns, got {kind(answer)}.")
    totals = answer.totals
    short = totals.index[totals["total"] < totals["target"] - 1e-9].tolist()
    if short:
        wrong(f"this menu misses the targets for {short}.")
    if answer.objective != "foods":
        wrong("solve with objective='foods' (the fewest distinct foods).")
    return answer


@exercise
def menu_without(answer, food_id: str) -> None:
    """Exercise 7.1: a fewest-foods menu without one food."""
    menu = _a_menu_meeting_targets(answer)
    if food_id in menu.items.index:
        wrong(f"{food_id} is still on the menu; plan_menu can leave foods out.")
    right(f"a {len(menu.items)}-food menu without {food_id} meets every target.")


@exercise
def menu_within_calories(answer, kcal: float) -> None:
    """Exercise 7.2: a fewest-foods menu within a calorie budget."""
    menu = _a_menu_meeting_targets(answer)
    total = menu.items["kcal"].sum()
    if total > kcal + 1e-9:
        wrong(f"the menu has {total:.0f} kcal, more than {kcal:g}; plan_menu can cap energy.")
    right(f"{len(menu.items)} foods, {total:.0f} kcal, and every target met.")
