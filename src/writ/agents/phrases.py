"""Wording for the scripted teacher: several natural phrasings per conversational move.

The offline teacher must read like a competent human agent, not like a log, and 2,000 of its
conversations must not all say the same sentence. Each move has several variants; the teacher
picks one with its per-episode random generator, so an episode is reproducible from its seed.
"""

from __future__ import annotations

import random

__all__ = ["AUTH_QUESTIONS", "pick", "DOMAIN_NAMES"]

DOMAIN_NAMES = {"retail": "our store", "airline": "the airline", "telecom": "your mobile carrier", "mock": "the task service"}

GREETINGS = [
    "Hi! Thanks for reaching out. How can I help you today?",
    "Hello, and thanks for contacting us. What can I do for you today?",
    "Hi there! How can I help you today?",
    "Good day! I'm here to help. What can I do for you?",
    "Hello! Thanks for getting in touch. How may I assist you?",
]

AUTH_QUESTIONS = {
    "name_zip": [
        "I can help with that. First, could you please give me your full name and the zip code on your account?",
        "Happy to help. To verify your identity, may I have your first and last name and your zip code?",
        "Sure. Before we start, I need to verify your account: what are your full name and zip code?",
    ],
    "email": [
        "I can help with that. First, could you please tell me the email address on your account?",
        "Happy to help. To locate your account, what email address did you sign up with?",
        "Sure thing. Could you share your account's email address so I can verify your identity?",
    ],
    "user_id": [
        "I can help with that. Could you please provide your user ID first?",
        "Happy to help. To pull up your profile, what is your user ID?",
        "Sure. May I have your user ID so I can look up your account?",
    ],
    "phone": [
        "I can help with that. Could you please give me the phone number on your account?",
        "Happy to help. First, what phone number is the account under?",
        "Sure. To find your account, may I have your phone number?",
    ],
    "customer_id": [
        "I can help with that. Could you please give me your customer ID?",
        "Happy to help. What is your customer ID, so I can find your account?",
    ],
}

REAUTH = [
    "I'm sorry, I couldn't find an account with those details. Could you double-check them for me?",
    "Hmm, that didn't match any account on our side. Could you please verify the details and try again?",
    "I wasn't able to locate your account with that. Would you mind checking the details once more?",
]

AUTHENTICATED = [
    "Thank you, {name}, I've found your account.",
    "Thanks, {name}. Your account is verified.",
    "Great, thank you {name}, you're verified.",
]

LOOKING = [
    "Let me look into that for you.",
    "Let me check the details.",
    "One moment while I look that up.",
]

CONFIRM = [
    "{findings}Here is what I'm about to do: {summary}. Would you like me to proceed? (yes/no)",
    "{findings}To confirm, I will {summary}. Shall I go ahead?",
    "{findings}The action would be: {summary}. Can you confirm you'd like me to proceed?",
    "{findings}Just to be sure before I make the change: {summary}. Do I have your confirmation to go ahead?",
]

DONE = [
    "Done! I've completed it: {summary}.",
    "All set. The change has gone through: {summary}.",
    "That's been taken care of: {summary}.",
    "Your request has been processed: {summary}.",
]

DECLINED = [
    "Understood, I won't make that change. Let me know if you change your mind.",
    "No problem, I'll leave it as it is for now. Just tell me if you'd like to go ahead after all.",
    "Okay, nothing has been changed. Let me know if you reconsider.",
]

INFORM = [
    "{findings}",
    "Here's what I found: {findings}",
    "I've checked for you. {findings}",
]

ANYTHING_ELSE = [
    "Is there anything else I can help you with?",
    "Can I help you with anything else today?",
    "Is there anything more I can do for you?",
]

NEXT_REQUEST = [
    "Now, regarding your next request.",
    "Next, let me take care of the other thing you mentioned.",
    "Let's move on to your other request.",
]

USER_ACTION = [
    "{ask}",
    "Could you do something for me on your phone? {ask}",
    "Next step: {ask}",
]

ASK_REQUEST = [
    "What can I help you with today?",
    "How can I help you today?",
    "What would you like me to do for you?",
]

WHY_AUTH = [
    "I understand. I only need these details to verify your identity and protect your account. Could you please share them?",
    "That's a fair question: it's so I can confirm you're the account holder before making any changes. Could you provide them, please?",
]

RESTATE = [
    "Only this will change: {summary}. Nothing else on your account is affected. Would you like me to proceed?",
    "To be precise, I will {summary}, and nothing else. Shall I go ahead?",
]

RECONFIRM = [
    "No problem. Just to confirm once more: {summary}. Shall I proceed?",
    "Sure. Once again, the action is: {summary}. Do you confirm?",
]

REFUSE_AGAIN = [
    "I'm sorry, I understand your frustration, but I can't make an exception to the policy on this.",
    "I really wish I could, but that's not something I'm allowed to do under our policy.",
]

GOODBYE = [
    "You're welcome! Have a great day.",
    "Glad I could help. Take care!",
    "Thank you for contacting us. Goodbye!",
]


def pick(rng: random.Random, options: list[str], **values: str) -> str:
    return rng.choice(options).format(**values)
