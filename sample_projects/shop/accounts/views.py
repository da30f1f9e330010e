from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import ugettext as _
from django.views import generic
from django.views.decorators.http import require_POST

from .forms import NewsletterForm, ProfileForm, SignupForm


class SignupView(generic.CreateView):
    form_class = SignupForm
    template_name = 'registration/signup.html'
    success_url = reverse_lazy('catalog:product_list')

    def form_valid(self, form):
        response = super(SignupView, self).form_valid(form)
        login(self.request, self.object)
        messages.success(self.request, _('Welcome, %(name)s!') % {'name': self.object})
        return response


class ProfileView(LoginRequiredMixin, generic.UpdateView):
    form_class = ProfileForm
    template_name = 'accounts/profile.html'
    success_url = reverse_lazy('profile')

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _('Your profile was saved.'))
        return super(ProfileView, self).form_valid(form)


@require_POST
def newsletter_signup(request):
    form = NewsletterForm(request.POST)
    if form.is_valid():
        form.save()
        if request.is_ajax():
            return JsonResponse({'subscribed': form.instance.email}, status=201)
        messages.success(request, _('Thanks for subscribing!'))
        return redirect('catalog:product_list')
    if request.is_ajax():
        return JsonResponse({'errors': form.errors}, status=400)
    messages.error(request, _('Please enter a valid e-mail address.'))
    return redirect('catalog:product_list')
