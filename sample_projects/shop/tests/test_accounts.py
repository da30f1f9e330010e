import json
import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import NewsletterSubscription

pytestmark = pytest.mark.django_db

AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}


def test_signup_creates_customer_and_logs_in(client):
    response = client.post(reverse('signup'), {
        'username': 'carol', 'email': 'Carol@Example.com', 'first_name': 'Carol',
        'last_name': 'Smith', 'password1': 'a-long-unusual-pass', 'password2': 'a-long-unusual-pass',
    }, follow=True)
    user = get_user_model().objects.get(username='carol')
    assert user.email == 'carol@example.com'
    assert user.marketing_opt_in is None
    assert client.session[SESSION_KEY] == str(user.pk)
    assert 'Welcome, Carol Smith!' in response.content.decode()


def test_signup_rejects_known_email(client, customer):
    response = client.post(reverse('signup'), {
        'username': 'alice2', 'email': 'ALICE@example.com',
        'password1': 'a-long-unusual-pass', 'password2': 'a-long-unusual-pass',
    })
    assert response.context['form'].errors['email'] == [
        'A customer with that e-mail already exists.']


@pytest.mark.parametrize('choice, stored', [
    pytest.param('true', True, id='yes'),
    pytest.param('false', False, id='no'),
    pytest.param('unknown', None, id='unanswered'),
])
def test_profile_marketing_choice(customer_client, customer, choice, stored):
    response = customer_client.post(reverse('profile'), {
        'first_name': 'Alice', 'last_name': 'Liddell', 'email': 'alice@example.com',
        'phone': '+49 30 1234', 'marketing_opt_in': choice,
    })
    assert response['Location'] == reverse('profile')
    customer.refresh_from_db()
    assert customer.marketing_opt_in is stored
    assert customer.phone == '+49 30 1234'


def test_profile_asks_marketing_question_once(customer_client, customer):
    assert 'Would you like to hear about offers?' in customer_client.get(
        reverse('profile')).content.decode()
    customer.marketing_opt_in = False
    customer.save()
    assert 'Would you like to hear about offers?' not in customer_client.get(
        reverse('profile')).content.decode()


def test_login_page(client, customer):
    response = client.post(reverse('login'), {'username': 'alice', 'password': 'correct-horse'})
    assert response['Location'] == reverse('catalog:product_list')
    assert client.session[SESSION_KEY] == str(customer.pk)


def test_navigation_logout_control_logs_out(customer_client):
    """Use the log-out control the navigation renders, whether a link or a form."""
    page = customer_client.get(reverse('catalog:product_list')).content.decode()
    logout_url = reverse('logout')
    link = re.search(r'<a href="%s" class="logout">' % re.escape(logout_url), page)
    form = any(
        'action="%s"' % logout_url in tag and re.search(r'method="post"', tag, re.IGNORECASE)
        for tag in re.findall(r'<form\b[^>]*>', page))
    assert link or form, 'the navigation has no log-out control'
    if link:
        response = customer_client.get(logout_url)
    else:
        response = customer_client.post(logout_url)
    assert response.status_code == 302
    assert response['Location'] == reverse('catalog:product_list')
    assert SESSION_KEY not in customer_client.session


def test_anonymous_navigation_offers_login(client, db):
    page = client.get(reverse('catalog:product_list')).content.decode()
    assert 'href="/accounts/login/?next=/"' in page
    assert 'class="logout"' not in page


def test_newsletter_signup(client, db):
    response = client.post(reverse('newsletter_signup'), {'email': 'fan@example.com'}, follow=True)
    assert NewsletterSubscription.objects.get().email == 'fan@example.com'
    assert 'Thanks for subscribing!' in response.content.decode()


def test_newsletter_signup_ajax(client, db):
    response = client.post(reverse('newsletter_signup'), {'email': 'fan@example.com'}, **AJAX)
    assert response.status_code == 201
    assert json.loads(response.content.decode()) == {'subscribed': 'fan@example.com'}


def test_newsletter_signup_ajax_invalid(client, db):
    response = client.post(reverse('newsletter_signup'), {'email': 'nope'}, **AJAX)
    assert response.status_code == 400
    assert json.loads(response.content.decode()) == {
        'errors': {'email': ['Enter a valid email address.']}}


def test_newsletter_get_not_allowed(client, db):
    assert client.get(reverse('newsletter_signup')).status_code == 405


def _csrf_client():
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(reverse('catalog:product_list'), secure=True)
    return csrf_client, csrf_client.cookies['csrftoken'].value


def test_newsletter_accepts_posts_from_the_blog(db):
    """The blog (a CSRF trusted origin) posts the newsletter form over HTTPS."""
    csrf_client, token = _csrf_client()
    response = csrf_client.post(
        reverse('newsletter_signup'),
        {'email': 'reader@example.com', 'source': 'blog', 'csrfmiddlewaretoken': token},
        secure=True, HTTP_REFERER='https://blog.example.com/2019/05/new-mugs/')
    assert response.status_code == 302
    assert NewsletterSubscription.objects.get().source == 'blog'


def test_newsletter_rejects_posts_from_elsewhere(db):
    csrf_client, token = _csrf_client()
    response = csrf_client.post(
        reverse('newsletter_signup'),
        {'email': 'reader@example.com', 'csrfmiddlewaretoken': token},
        secure=True, HTTP_REFERER='https://evil.example.net/')
    assert response.status_code == 403
    assert not NewsletterSubscription.objects.exists()


def test_password_reset_flow(client, customer):
    response = client.post(reverse('password_reset'), {'email': 'alice@example.com'})
    assert response['Location'] == reverse('password_reset_done')
    assert len(mail.outbox) == 1
    link = re.search(r'http://testserver(/accounts/reset/\S+/)', mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {
        'new_password1': 'brand-new-secret-1', 'new_password2': 'brand-new-secret-1'})
    assert response['Location'] == reverse('password_reset_complete')
    customer.refresh_from_db()
    assert customer.check_password('brand-new-secret-1')
