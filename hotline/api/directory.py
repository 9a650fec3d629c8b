"""Directory reads (SPEC 2): regions, units, categories, tags, and the dispatch
catalogue's suggestion for an order's category and region."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import CategoryCodeField, RegionCodeField
from hotline.api.order_output import UnitRefOut
from hotline.api.schema import READ_ERRORS, errors
from hotline.api.selectors import category_list, region_list, tag_list, unit_list
from hotline.directory.models import Region, Unit
from hotline.directory.selectors import catalogue_suggestion


class RegionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Region.Level.choices)
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)


class UnitOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)
    region_codes = serializers.SerializerMethodField()
    active = serializers.BooleanField()

    def get_region_codes(self, unit) -> list[str]:
        return [region.code for region in unit.regions.all()]


class CategoryOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField(min_value=1, max_value=3)
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)
    active = serializers.BooleanField()


class TagOut(serializers.Serializer):
    name = serializers.CharField()
    active = serializers.BooleanField()


def _list_view(name: str, summary: str, out, rows):
    @extend_schema(
        operation_id=f"{name}_list",
        summary=summary,
        responses={200: out(many=True), **errors(401)},
        tags=["directory"],
    )
    def get(self, request):
        return Response(out(rows(), many=True).data)

    return type(f"{name.title()}Api", (APIView,), {"get": get, "__doc__": summary})


RegionsApi = _list_view("regions", "行政区划", RegionOut, region_list)
UnitsApi = _list_view("units", "成员单位", UnitOut, unit_list)
CategoriesApi = _list_view("categories", "事项分类", CategoryOut, category_list)
TagsApi = _list_view("tags", "专项标签", TagOut, tag_list)


class SuggestionIn(serializers.Serializer):
    category = CategoryCodeField(help_text="事项分类编码")
    region = RegionCodeField(required=False, allow_null=True, default=None, help_text="区划代码")


class SuggestionOut(serializers.Serializer):
    lead = UnitRefOut(allow_null=True, help_text="派单目录建议的主办单位；目录未覆盖时为 null")
    co_units = UnitRefOut(many=True)
    basis = serializers.CharField(help_text="该条目录的依据（三定规定条款、权责清单事项等）")


class CatalogueSuggestionApi(APIView):
    @extend_schema(
        operation_id="catalogue_suggestion",
        summary="派单目录建议",
        parameters=[SuggestionIn],
        responses={200: SuggestionOut, **READ_ERRORS},
        tags=["directory"],
    )
    def get(self, request):
        query = SuggestionIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = catalogue_suggestion(**query.validated_data)
        shown = found or {"lead": None, "co_units": [], "basis": ""}
        return Response(SuggestionOut(shown).data)
