"""The demo world: what ``haicang demo`` seeds so that every screen has something real to show."""
