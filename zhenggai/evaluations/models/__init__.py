from zhenggai.evaluations.models.handling import Appeal, Callback, ServiceCount
from zhenggai.evaluations.models.periods import Bulletin, PeriodRound, RatingImport
from zhenggai.evaluations.models.points import RatingPoint, get_point_for_user
from zhenggai.evaluations.models.ratings import MonthlyTally, Rating, get_rating_for_user

__all__ = [
    "Appeal",
    "Bulletin",
    "Callback",
    "MonthlyTally",
    "PeriodRound",
    "Rating",
    "RatingImport",
    "RatingPoint",
    "ServiceCount",
    "get_point_for_user",
    "get_rating_for_user",
]
