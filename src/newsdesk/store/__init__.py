"""newsdesk.store"""
