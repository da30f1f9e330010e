// Add to cart without leaving the page: cart_add answers XMLHttpRequests with JSON.
document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList.contains('add-to-cart') || !window.fetch) {
        return;
    }
    event.preventDefault();
    fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        headers: {'X-Requested-With': 'XMLHttpRequest'},
        credentials: 'same-origin'
    }).then(function (response) { return response.json(); })
      .then(function (data) { document.getElementById('cart-count').textContent = data.count; });
});
