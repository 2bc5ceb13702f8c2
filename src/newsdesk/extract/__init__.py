"""newsdesk.extract"""
