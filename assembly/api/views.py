from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly.selectors import roles_of


class MeApi(APIView):
    """Who the caller is and what roles they hold."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        display_name = serializers.CharField()
        is_member = serializers.BooleanField()
        is_partner = serializers.BooleanField()
        is_staff = serializers.BooleanField()
        is_admin = serializers.BooleanField()
        member_of = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        roles = roles_of(request.user)
        data = {
            "id": request.user.pk,
            "email": request.user.email,
            "display_name": request.user.display_name,
            "is_member": roles.is_member,
            "is_partner": roles.is_partner,
            "is_staff": roles.is_staff,
            "is_admin": roles.is_admin,
            "member_of": sorted(roles.member_of),
        }
        return Response(self.OutputSerializer(data).data)
