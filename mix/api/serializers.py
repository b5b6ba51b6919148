from core.api import ReferenceSerializer
from mix.models import MixFamily


class MixFamilySerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = MixFamily
        fields = [*ReferenceSerializer.Meta.fields, "position"]
