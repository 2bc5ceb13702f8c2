"""newsdesk.evaluation"""
