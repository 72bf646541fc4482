"""Plan a day's menu that meets the cramp-nutrient targets: Stigler's diet problem as a MILP.

The model, in words: choose how many half servings of each food to eat (0, 1/2, 1, 1 1/2, ...
up to a maximum per food) so that each cramp nutrient reaches its target, sodium stays at or
under its limit (the CDRR, 2,300 mg for adults), no nutrient exceeds a Tolerable Upper Intake
Level that applies to food, and the objective is as small as possible: total calories, or the
number of distinct foods.

Missing values: a food whose amount of a targeted nutrient is missing counts 0 toward that
target (the menu never relies on an unknown amount); a food whose energy or capped nutrient
(such as sodium) is missing is left out, because the menu could not be checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csc_array, diags, hstack

from cramplab.analysis import amounts, cramp_nutrients, daily_values, intake_targets
from cramplab.data import CourseData

OBJECTIVES = ("calories", "foods")
STEP = 0.5  # servings come in halves
TOLERANCE = 1e-6

# Diet patterns the notebooks use; each names the foods it leaves out.
MEAT_GROUPS = [
    "Beef Products", "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products",
    "Sausages and Luncheon Meats", "Finfish and Shellfish Products",
]  # fmt: skip
DIET_PATTERNS = {
    "no_dairy": lambda foods: (
        (foods["food_group"] == "Dairy and Egg Products")
        & ~foods["usda_description"].str.startswith("Egg")
    ),
    "no_fish": lambda foods: foods["food_group"] == "Finfish and Shellfish Products",
    "vegetarian": lambda foods: foods["food_group"].isin(MEAT_GROUPS),
}


class NoMenuPossible(ValueError):
    """No menu meets every target under the given limits; the message says which nutrient."""

    def __init__(self, message: str, nutrients: list[str]):
        super().__init__(message)
        self.nutrients = nutrients


@dataclass
class Targets:
    """Daily amounts to reach (minimum) and not to pass (maximum), by nutrient_id."""

    minimum: pd.Series
    maximum: pd.Series
    label: str


@dataclass
class Menu:
    items: pd.DataFrame  # food_id index: name, servings, grams, serving_desc, kcal
    totals: pd.DataFrame  # nutrient_id index: total, target, percent_target, limit, binds
    objective: str
    targets: Targets
    foods_considered: int
    binding: list[str] = field(default_factory=list)


def targets_for(data: CourseData, life_stage: str | None = None) -> Targets:
    """Daily Values (life_stage=None) or the RDA/AI of a life stage, with limits.

    Sodium's Daily Value is a limit, not a goal: sodium must reach its AI and stay at or under
    its CDRR. ULs that apply to total intake (calcium, vitamin D, vitamin B6) are limits too;
    magnesium's UL covers supplements only, so it does not limit food.
    """
    nutrients = cramp_nutrients(data)
    refs = data.intake_references
    if life_stage is None:
        minimum = daily_values(data)[nutrients].copy()
        adults = refs[(refs["age_min"] == 19) & (refs["group"].isin(["males", "females"]))]
        ai = adults[adults["reference_type"] == "AI"]
        minimum["sodium"] = ai.loc[ai["nutrient_id"] == "sodium", "amount"].min()
        maximum = pd.Series(np.nan, index=nutrients)
        maximum["sodium"] = daily_values(data)["sodium"]
        ul_rows = adults[(adults["ul_scope"] == "total intake") & adults["ul"].notna()]
        maximum.update(ul_rows.groupby("nutrient_id")["ul"].min())
        label = "FDA Daily Values (adults)"
    else:
        minimum = intake_targets(data, life_stage, "target")[nutrients]
        maximum = pd.Series(np.nan, index=nutrients)
        rows = refs[(refs["life_stage"] == life_stage) & (refs["reference_type"] != "CDRR")]
        food_ul = rows[rows["ul_scope"] == "total intake"].set_index("nutrient_id")["ul"]
        maximum.update(food_ul)
        maximum.update(intake_targets(data, life_stage, "cdrr"))
        label = f"RDA/AI for {life_stage}"
    return Targets(minimum=minimum.astype(float), maximum=maximum.astype(float), label=label)


def excluded_foods(
    data: CourseData,
    patterns: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    foods: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
) -> pd.Index:
    """food_ids that diet patterns, food groups, an explicit list or true/false columns of
    foods.csv leave out; flags=("fortified",) drops every fortified food."""
    table = data.foods.set_index("food_id")
    mask = table["food_group"].isin(groups) | table.index.isin(foods)
    for flag in flags:
        if table.get(flag) is None or table[flag].dtype != bool:
            raise ValueError(f"{flag!r} is not a true/false column of foods.csv")
        mask |= table[flag]
    for pattern in patterns:
        if pattern not in DIET_PATTERNS:
            raise ValueError(f"unknown diet pattern {pattern!r}; known: {sorted(DIET_PATTERNS)}")
        mask |= DIET_PATTERNS[pattern](table)
    return table.index[mask]


def plan_menu(
    data: CourseData,
    *,
    life_stage: str | None = None,
    objective: str = "calories",
    max_servings: float = 3.0,
    exclude: pd.Index | list[str] = (),
    limits: dict[str, float] | None = None,
) -> Menu:
    """Solve for a day's menu. Raises NoMenuPossible, naming the nutrient, when none exists.

    limits adds upper bounds on daily totals, e.g. {"energy": 1800}.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
    targets = targets_for(data, life_stage)
    per_serving = amounts(data, "serving")
    maximum = targets.maximum.copy()
    for nutrient_id, value in (limits or {}).items():
        maximum[nutrient_id] = value
    capped = [n for n in maximum.index if pd.notna(maximum[n])]

    usable = per_serving[["energy", *capped]].notna().all(axis=1)
    usable &= ~per_serving.index.isin(list(exclude))
    table = per_serving[usable]
    goal = list(targets.minimum.index)
    contribution = table[goal].fillna(0.0).to_numpy() * STEP  # per half serving
    capped_amounts = table[capped].to_numpy() * STEP
    kcal = table["energy"].to_numpy() * STEP
    n = len(table)
    if n == 0:
        raise NoMenuPossible("no foods are left to choose from", goal)
    steps = round(max_servings / STEP)

    _explain_if_impossible(table, targets.minimum, contribution, steps)
    problem = _Problem(contribution, targets.minimum.to_numpy(), capped_amounts,
                       maximum[capped].to_numpy(), kcal, steps)  # fmt: skip
    shadow = None
    if objective == "calories":
        relaxed = _relaxation(problem)
        halves = None if relaxed.status == 2 else _fewest_calories(problem, relaxed)
        if halves is not None:
            shadow = _shadow_prices(relaxed, targets.minimum.index, capped)
    else:
        halves = _fewest_foods(problem)
    if halves is None:
        message, culprits = _joint_infeasibility(problem, goal, maximum, capped)
        raise NoMenuPossible(message, culprits or goal)
    return _menu(data, table, halves, targets, maximum, capped, objective, steps, shadow)


@dataclass
class _Problem:
    """The planner's matrices: one row per food, amounts per half serving."""

    contribution: np.ndarray  # foods x targeted nutrients
    minimum: np.ndarray
    capped_amounts: np.ndarray  # foods x limited nutrients
    limits: np.ndarray
    kcal: np.ndarray
    steps: int  # most half servings of one food

    def constraints(self, keep: np.ndarray, extra_columns: int = 0) -> list[LinearConstraint]:
        rows = [(self.contribution[keep].T, self.minimum, np.inf)]
        if len(self.limits):
            rows.append((self.capped_amounts[keep].T, -np.inf, self.limits))
        return [
            LinearConstraint(
                hstack([csc_array(a), csc_array((a.shape[0], extra_columns))]), lo, hi
            )
            if extra_columns
            else LinearConstraint(a, lo, hi)
            for a, lo, hi in rows
        ]


CANDIDATES = 200  # foods the first whole-serving solve considers (more if the proof needs it)


def _relaxation(problem: _Problem):
    """The calorie problem with fractional servings allowed (a linear programme)."""
    a_ub = np.vstack([-problem.contribution.T, problem.capped_amounts.T])
    b_ub = np.concatenate([-problem.minimum, problem.limits])
    return linprog(problem.kcal, A_ub=a_ub, b_ub=b_ub, bounds=(0, problem.steps), method="highs")


def _fewest_calories(problem: _Problem, relaxed) -> np.ndarray | None:
    """Whole half-servings with the fewest calories, solved on few foods and proved for all.

    The relaxation's reduced cost of a food it leaves out is the least number of calories
    that adding one half serving of it can add to any menu. So once the best menu from a
    short list of candidates costs no more than the relaxation's optimum plus the smallest
    reduced cost outside the list, no food outside can improve it, and the menu is optimal
    for the whole table. On all of SR28 this turns a slow solve into a quick one.
    """
    n = len(problem.kcal)
    reduced = relaxed.lower.marginals
    used = relaxed.x > 1e-9
    order = np.argsort(np.where(used, -np.inf, reduced), kind="stable")
    size = CANDIDATES
    while True:
        keep = np.zeros(n, dtype=bool)
        keep[order[:size]] = True
        keep |= used
        result = milp(
            problem.kcal[keep], constraints=problem.constraints(keep),
            integrality=np.ones(keep.sum()), bounds=Bounds(0, problem.steps),
        )  # fmt: skip
        if result.x is not None:
            outside = ~keep
            bound = relaxed.fun + (reduced[outside].min() if outside.any() else np.inf)
            if bound >= result.fun - 1e-4 * max(1.0, abs(result.fun)):  # HiGHS's own MIP gap
                halves = np.zeros(n, dtype=int)
                halves[keep] = np.round(result.x).astype(int)
                return halves
        elif keep.all():
            return None
        size *= 4


def _fewest_foods(problem: _Problem) -> np.ndarray | None:
    """Whole half-servings from as few distinct foods as possible; calories break ties.

    Variables: x (half servings) then y (food used, 0/1), with x <= steps * y. Calories are
    weighted so that no calorie saving can outweigh one food fewer.
    """
    n, steps = len(problem.kcal), problem.steps
    keep = np.ones(n, dtype=bool)
    cost = np.concatenate([problem.kcal / (problem.kcal.sum() * steps + 1.0), np.ones(n)])
    link = LinearConstraint(
        hstack([diags(np.ones(n)), diags(np.full(n, -float(steps)))]), -np.inf, 0.0
    )
    result = milp(
        cost, constraints=[*problem.constraints(keep, extra_columns=n), link],
        integrality=np.ones(2 * n), bounds=Bounds(0, np.concatenate([np.full(n, steps), np.ones(n)])),
    )  # fmt: skip
    return None if result.x is None else np.round(result.x[:n]).astype(int)


def _shadow_prices(relaxed, goal: pd.Index, capped: list[str]) -> pd.Series:
    """kcal saved per unit a target is lowered (or a limit raised), from the relaxation.

    The whole-serving problem has no clean marginal values, so we ask the same question of
    its continuous relaxation, as in Stigler's diet problem: a positive price means that
    constraint is what makes the menu cost calories; zero means it has room to spare.
    """
    # HiGHS reports d(objective)/d(b_ub) <= 0; flip the sign to read it as kcal saved.
    prices = pd.Series(-relaxed.ineqlin.marginals, index=[*goal, *capped])
    return prices.groupby(level=0, sort=False).sum()


def _explain_if_impossible(table, minimum, contribution, steps) -> None:
    """A nutrient no combination can reach, even eating every food at its maximum."""
    best = contribution.sum(axis=0) * steps
    short = [n for n, reach in zip(minimum.index, best, strict=True) if reach < minimum[n]]
    if short:
        details = "; ".join(
            f"{n}: at most {best[list(minimum.index).index(n)]:.3g} of {minimum[n]:.3g}"
            for n in short
        )
        raise NoMenuPossible(
            f"no menu can reach the target for {', '.join(short)} with these foods "
            f"({len(table)} foods, at most {steps * STEP:g} servings each): {details}",
            short,
        )


def _joint_infeasibility(
    problem: _Problem, goal: list[str], maximum, capped
) -> tuple[str, list[str]]:
    """Each target is reachable alone, but not together under the limits: find which."""
    culprits = []
    everything = np.ones(len(problem.kcal), dtype=bool)
    for column, nutrient_id in enumerate(goal):
        others = np.arange(len(goal)) != column
        without = replace(problem, contribution=problem.contribution[:, others],
                          minimum=problem.minimum[others])  # fmt: skip
        trial = milp(
            np.zeros(len(problem.kcal)),
            constraints=without.constraints(everything),
            integrality=np.ones(len(problem.kcal)),
            bounds=Bounds(0, problem.steps),
        )
        if trial.status == 0:
            culprits.append(nutrient_id)
    limits = ", ".join(f"{c} ≤ {maximum[c]:g}" for c in capped)
    if culprits:
        return (
            f"no menu meets every target within the limits ({limits}); dropping the target for "
            f"{' or '.join(culprits)} would make one possible"
        ), culprits
    return f"no menu meets the targets within the limits ({limits})", []


def _menu(data, table, halves, targets, maximum, capped, objective, steps, shadow) -> Menu:
    chosen = halves > 0
    foods = data.foods.set_index("food_id").loc[table.index[chosen]]
    servings = halves[chosen] * STEP
    items = pd.DataFrame(
        {
            "name": foods["name"],
            "servings": servings,
            "serving_desc": foods["serving_desc"],
            "grams": foods["serving_g"].to_numpy() * servings,
            "kcal": table["energy"].to_numpy()[chosen] * servings,
        }
    )
    eaten = table[chosen].fillna(0.0).mul(servings, axis=0).sum()
    nutrient_ids = list(dict.fromkeys([*targets.minimum.index, *capped]))
    totals = pd.DataFrame(
        {
            "total": eaten[nutrient_ids],
            "target": targets.minimum.reindex(nutrient_ids),
            "limit": maximum.reindex(nutrient_ids),
        }
    )
    totals["percent_target"] = totals["total"] / totals["target"] * 100
    unit = data.nutrients.set_index("nutrient_id")["unit"]
    totals.insert(0, "unit", unit.reindex(nutrient_ids).to_numpy())
    nearer_limit = (totals["limit"] - totals["total"]).abs() < (
        totals["total"] - totals["target"]
    ).abs()
    if shadow is not None:
        # Calories: a constraint binds when relaxing it would save calories (its shadow price).
        totals["shadow_kcal_per_unit"] = shadow.reindex(nutrient_ids)
        pressing = totals["shadow_kcal_per_unit"] > 1e-9
        at_limit = pressing & nearer_limit
        at_target = pressing & ~nearer_limit
    else:
        # Fewest foods has no useful prices: call a constraint binding when it is within 5%.
        at_target = totals["total"] <= totals["target"] * 1.05
        at_limit = totals["total"] >= totals["limit"] * 0.95
    totals["binds"] = np.select([at_target, at_limit], ["target", "limit"], default="")
    binding = [f"{n} {totals.at[n, 'binds']}" for n in totals.index if totals.at[n, "binds"]]
    binding += [
        f"{items.at[f, 'name']} at {steps * STEP:g} servings"
        for f in items.index
        if items.at[f, "servings"] >= steps * STEP
    ]
    return Menu(
        items=items,
        totals=totals,
        objective=objective,
        targets=targets,
        foods_considered=len(table),
        binding=binding,
    )
