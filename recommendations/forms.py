from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.models import RegionAnswer


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RegionAnswer.Status.choices)
    text = forms.CharField(label=_("Text of the answer"), widget=forms.Textarea(attrs={"rows": 5}))
    answered_on = forms.DateField(label=_("Date of the answer (YYYY-MM-DD)"), input_formats=["%Y-%m-%d"])
    reference = forms.CharField(label=_("Deliberation or policy reference"), required=False, max_length=300)
    expected_on = forms.DateField(
        label=_("Final answer expected by (YYYY-MM-DD)"), required=False, input_formats=["%Y-%m-%d"]
    )
