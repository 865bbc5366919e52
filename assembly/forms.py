"""Forms of the assembly pages: they check shapes; rules live in `assembly.services`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly import imports
from assembly.models import College, Gender, Mandate, Territory


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "inputmode": "email"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We will send you a link that signs you in without a password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "inputmode": "email"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.none())
    college = forms.ChoiceField(label=_("College"), choices=College.choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    title = forms.CharField(
        label=_("Mandate title"), max_length=200, required=False, help_text=_("e.g. Maire de Gignac")
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, assembly, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = assembly.territories.select_related("departement").order_by("name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Members file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Generated from the headers the reader accepts, so the help cannot name a column it refuses.
        self.fields["file"].help_text = imports.columns_help()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file."))
        return upload


class EndMandateForm(forms.Form):
    mandate = forms.ModelChoiceField(queryset=Mandate.objects.none(), widget=forms.HiddenInput)
    end_date = forms.DateField(label=_("Last day of the mandate"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        mandate = self.fields["mandate"]
        assert isinstance(mandate, forms.ModelChoiceField)
        mandate.queryset = Mandate.objects.filter(user=person)


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person's request)"),
        max_length=500,
        help_text=_("Do not write personal data here: this reason is kept in the journal."),
    )
    confirm = forms.BooleanField(label=_("I confirm: this cannot be undone."))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("fr", "Français"), ("en", "English")])
