"""newsdesk.dedupe"""
