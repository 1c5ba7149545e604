"""The storefront: the shop's own customers sign up, sign in, see their orders and data.

`portal.plugin` registers the blueprint (`clientela_storefront`, default prefix `/conta`);
views live in `auth`, `account`, `profile`, `orders`; e-mails go through `portal.mail`.
"""
