"""newsdesk.cli"""
