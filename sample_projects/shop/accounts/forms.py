from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import ugettext, ugettext_lazy as _

from .models import NewsletterSubscription


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_('E-mail'))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ('username', 'email', 'first_name', 'last_name')

    def clean_email(self):
        email = self.cleaned_data['email'].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(ugettext('A customer with that e-mail already exists.'))
        return email


class ProfileForm(forms.ModelForm):
    marketing_opt_in = forms.NullBooleanField(
        label=_('Send me offers by e-mail'), widget=forms.NullBooleanSelect, required=False)

    class Meta:
        model = get_user_model()
        fields = ('first_name', 'last_name', 'email', 'phone', 'marketing_opt_in')


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = NewsletterSubscription
        fields = ('email', 'source')
