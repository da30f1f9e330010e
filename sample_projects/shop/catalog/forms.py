from django import forms
from django.utils.translation import ugettext, ugettext_lazy as _

from .models import Product, Review


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_('Rating'), coerce=int, choices=[(i, i) for i in range(5, 0, -1)])

    class Meta:
        model = Review
        fields = ('rating', 'comment')

    def __init__(self, *args, **kwargs):
        self.product = kwargs.pop('product')
        self.author = kwargs.pop('author')
        super(ReviewForm, self).__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super(ReviewForm, self).clean()
        if Review.objects.filter(product=self.product, author=self.author).exists():
            raise forms.ValidationError(ugettext('You have already reviewed this product.'))
        if cleaned_data.get('rating', 5) <= 2 and not cleaned_data.get('comment'):
            self.add_error('comment', ugettext('Please tell us what went wrong.'))
        return cleaned_data

    def save(self, commit=True):
        review = super(ReviewForm, self).save(commit=False)
        review.product = self.product
        review.author = self.author
        if commit:
            review.save()
        return review


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = '__all__'

    def clean_sku(self):
        sku = self.cleaned_data['sku'].strip().upper()
        if not sku.isalnum():
            raise forms.ValidationError(_('SKUs contain letters and digits only.'))
        return sku
