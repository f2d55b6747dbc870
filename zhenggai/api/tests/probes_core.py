"""Probes of units, rounds and problems (api/views.py)."""

from zhenggai.api.tests.probes import Probe


def objects(world) -> dict:
    problem = world.problem("甲单位的问题", approve=True)
    return {"problem": problem.pk, "round": world.round.pk, "unit": world.unit.pk}


def probes(ids) -> dict[str, Probe]:
    p = ids["problem"]
    return {
        "v1_problems_list": Probe("get", "/api/v1/problems/", lists=p),
        "v1_problems_retrieve": Probe("get", f"/api/v1/problems/{p}/"),
        "v1_problems_transitions_create": Probe(
            "post", f"/api/v1/problems/{p}/transitions/close_out/", {"note": "x"}
        ),
        "v1_rounds_list": Probe("get", "/api/v1/rounds/", lists=ids["round"]),
        "v1_rounds_retrieve": Probe("get", f"/api/v1/rounds/{ids['round']}/"),
        "v1_units_list": Probe("get", "/api/v1/units/", lists=ids["unit"]),
        "v1_units_retrieve": Probe("get", f"/api/v1/units/{ids['unit']}/"),
    }
