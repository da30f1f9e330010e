from django import forms
from django.utils.translation import ugettext, ugettext_lazy as _

from .models import Comment

BANNED_WORDS = ('viagra', 'casino')


class CommentForm(forms.ModelForm):
    # A field people do not see; bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ('name', 'email', 'body')
        labels = {'body': _('Your comment')}
        widgets = {'body': forms.Textarea(attrs={'rows': 5})}

    def clean_body(self):
        body = self.cleaned_data['body']
        if any(word in body.lower() for word in BANNED_WORDS):
            raise forms.ValidationError(ugettext('Comments may not advertise.'))
        return body

    def clean(self):
        cleaned_data = super(CommentForm, self).clean()
        if cleaned_data.get('website'):
            raise forms.ValidationError(ugettext('Your comment looks like spam.'))
        return cleaned_data


class SearchForm(forms.Form):
    q = forms.CharField(label=_('Search'), max_length=100)
    section = forms.ChoiceField(label=_('Section'), required=False)

    def __init__(self, *args, **kwargs):
        sections = kwargs.pop('sections', ())
        super(SearchForm, self).__init__(*args, **kwargs)
        self.fields['section'].choices = [('', ugettext('All sections'))] + [
            (s.slug, s.name) for s in sections]
