from django import forms
from django.utils.translation import ugettext, ugettext_lazy as _

from .models import Order


class CheckoutForm(forms.ModelForm):
    accept_terms = forms.BooleanField(label=_('I accept the terms and conditions'))

    class Meta:
        model = Order
        fields = ('email', 'shipping_address', 'gift_wrap')
        widgets = {
            'shipping_address': forms.Textarea(attrs={'rows': 4}),
            'gift_wrap': forms.NullBooleanSelect,
        }

    def clean_shipping_address(self):
        address = self.cleaned_data['shipping_address'].strip()
        if len(address.splitlines()) < 2:
            raise forms.ValidationError(
                ugettext('Please give the street and the town on separate lines.'))
        return address
