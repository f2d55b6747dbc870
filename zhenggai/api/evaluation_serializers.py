"""What the API shows of ratings and assessment months, and what a device pushes.

A rating is shown as the rated unit's people see it on the rating pages: never what identifies
the rater (case number, phone, platform record id) nor the keyed hashes (背靠背)."""

from rest_framework import serializers

from zhenggai.assessments.models import AssessmentMonth, Entry, Indicator, Score
from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.services.ratings import COMMENT_MAX
from zhenggai.evaluations.values import DIMENSION_FIELDS, Channel, Level

# Ratings


class RatingSerializer(serializers.ModelSerializer):
    point_name = serializers.CharField(source="point.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "point",
            "point_name",
            "unit",
            "section",
            "level",
            "level_display",
            *DIMENSION_FIELDS,
            "channel",
            "channel_display",
            "service_item",
            "staff",
            "comment",
            "rated_at",
            "source",
            "source_display",
            "follow_up_of",
            "superseded",
            "burst",
            "outside_hours",
            "excluded",
            "problem",
            "created_at",
        ]
        read_only_fields = fields


# What a device or platform may say it is rated through.
PUSH_CHANNELS = [(c.value, c.label) for c in (Channel.DEVICE, Channel.OTHER)]


class RatingPushSerializer(serializers.Serializer):
    """One rating as a device or platform pushes it; checked further by `submit_rating`, as a
    rating on the public page is."""

    point = serializers.CharField(max_length=16, help_text="评价点的评价码")
    level = serializers.ChoiceField(
        choices=Level.choices, help_text="满意度，5 非常满意 … 1 非常不满意"
    )
    dimensions = serializers.DictField(
        child=serializers.ChoiceField(choices=Level.choices),
        required=False,
        default=dict,
        help_text='分项评价（按评价点的服务方式），如 {"service_attitude": 5}',
    )
    channel = serializers.ChoiceField(choices=PUSH_CHANNELS, default=Channel.DEVICE)
    case_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    staff = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    comment = serializers.CharField(
        max_length=COMMENT_MAX, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    rated_at = serializers.DateTimeField(required=False, help_text="评价时间（缺省为收到时）")


class PushedRatingSerializer(serializers.ModelSerializer):
    """What the device is told of the rating it pushed."""

    point = serializers.CharField(source="point.code", read_only=True)
    follow_up = serializers.SerializerMethodField()
    bad_review = serializers.BooleanField(source="is_bad", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "point", "level", "rated_at", "follow_up", "bad_review"]
        read_only_fields = fields

    def get_follow_up(self, rating: Rating) -> bool:
        return rating.follow_up_of_id is not None


# Assessment months


class AssessmentMonthSerializer(serializers.ModelSerializer):
    scheme_title = serializers.CharField(source="scheme.title", read_only=True)
    group = serializers.IntegerField(source="scheme.group_id", read_only=True)
    group_name = serializers.CharField(source="scheme.group.name", read_only=True)
    office = serializers.IntegerField(source="scheme.office_id", read_only=True)
    label = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = AssessmentMonth
        fields = [
            "id",
            "scheme",
            "scheme_title",
            "group",
            "group_name",
            "office",
            "month",
            "label",
            "version",
            "state",
            "state_display",
            "computed_at",
            "locked_at",
            "published_at",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "section", "name", "kind", "kind_display", "metric", "points"]
        read_only_fields = fields


class SubtotalSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="指标类别")
    total = serializers.DecimalField(max_digits=8, decimal_places=2)


class IndicatorScoreSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)


class ResultRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    rank = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    on_top_list = serializers.BooleanField(help_text="红榜")
    on_bottom_list = serializers.BooleanField(help_text="黑榜")
    at_bottom = serializers.BooleanField(help_text="末位")
    subtotals = SubtotalSerializer(many=True)
    scores = IndicatorScoreSerializer(many=True)


class AssessmentMonthDetailSerializer(AssessmentMonthSerializer):
    """A month with its ranking, where the caller reads it (`ranked`); else without it."""

    ranked = serializers.BooleanField(
        source="api_ranked", read_only=True, help_text="是否可查看排名"
    )
    indicators = IndicatorSerializer(source="api_indicators", many=True, read_only=True)
    results = ResultRowSerializer(source="api_results", many=True, read_only=True)

    class Meta(AssessmentMonthSerializer.Meta):
        fields = [*AssessmentMonthSerializer.Meta.fields, "ranked", "indicators", "results"]
        read_only_fields = fields


class ScoreLineSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="indicator.section", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    kind = serializers.CharField(source="indicator.kind", read_only=True)
    figure = serializers.CharField(
        read_only=True, help_text="计算指标的数据，如“按期整改率 75%（3/4）”"
    )

    class Meta:
        model = Score
        fields = [
            "indicator",
            "section",
            "name",
            "kind",
            "figure",
            "value",
            "numerator",
            "denominator",
            "entries_sum",
            "imported",
            "score",
            "note",
        ]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entry
        fields = [
            "id",
            "indicator",
            "amount",
            "reason",
            "rule",
            "occurred_on",
            "is_correction",
            "created_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]
        read_only_fields = fields


class UnitSheetSerializer(serializers.Serializer):
    """A unit's score sheet for the month: its total, its place where the caller reads the
    ranking, its scores per indicator and the entries behind them (those in force only, for
    the group's other units)."""

    month = serializers.IntegerField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="名次（可查看排名时）")
    on_top_list = serializers.BooleanField(allow_null=True)
    on_bottom_list = serializers.BooleanField(allow_null=True)
    at_bottom = serializers.BooleanField(allow_null=True)
    scores = ScoreLineSerializer(many=True)
    entries = EntrySerializer(many=True)
