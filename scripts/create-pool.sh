#!/usr/bin/env bash
# Creates a Cognito user pool that supports every feature docs/ describes (optional ones by flag):
# email as the username with verification by code, TOTP MFA (optional per user),
# passkeys (Essentials plan, relying party = the app's host),
# the `admin` group of the admin API, an app client for the Worker (password
# sign-in, refresh, token revocation, hosted UI with the authorization-code grant
# and the scopes /auth/me needs) and a hosted-UI domain. Prints the values for
# wrangler.toml and the secrets to set. Needs the AWS CLI v2 with credentials
# allowed to administer Cognito.
#
#   scripts/create-pool.sh <region> <pool name> <worker origin> [app origin] [--public] [--sms-role <role arn>]
#                          [--ses-identity <SES identity ARN> --from <address>]
#   scripts/create-pool.sh us-east-1 my-app https://auth.example.com https://app.example.com
#
# The app client gets a secret by default: its id is in every access token, and
# without a secret anyone could call SignUp, InitiateAuth or ForgotPassword on
# Cognito directly, around the Worker's abuse limits. --public makes one without.
#
# A stolen access token can call Cognito directly (UpdateUserAttributes,
# StartWebAuthnRegistration), around the Worker's step-up. So access tokens live
# 15 minutes, the app client may write only the Worker's writable attributes, and
# a new email address or phone number takes effect only once verified
# (AttributesRequireVerificationBeforeUpdate). Cognito accepts in that setting
# only attributes it verifies automatically, and it verifies phone numbers only
# with an SMS configuration: --sms-role <IAM role ARN> (a role Cognito may assume
# to publish through Amazon SNS, with this pool's name as its external id) adds
# phone_number to both. Without it, phone_number is not writable at all.
#
# Optional features, each with the flag that adds it (username attributes can
# never change after creation, so choose before creating the pool):
#   --sms-role <arn>      phone numbers: sign-up and sign-in by phone number (a
#                         username attribute beside email), SMS confirmation codes,
#                         and texted one-time codes as a first factor (SMS_OTP);
#   --ses-identity <arn> --from <address>
#                         mail through your Amazon SES identity instead of Cognito's
#                         default sender (50 emails a day per account), and emailed
#                         one-time codes as a first factor (EMAIL_OTP), which
#                         Cognito allows only with SES.
set -euo pipefail
REGION=${1:?region, e.g. us-east-1}
NAME=${2:?pool name}
WORKER=${3:?the Worker origin, e.g. https://auth.example.com}
APP=${4:-$WORKER}
if [[ "$APP" == --* ]]; then APP=$WORKER; fi
SMS_ROLE=
SES_IDENTITY=
FROM=
ARGS=("$@")
for i in "${!ARGS[@]}"; do
  if [[ "${ARGS[$i]}" == --sms-role ]]; then SMS_ROLE=${ARGS[$((i + 1))]:?--sms-role needs an IAM role ARN}; fi
  if [[ "${ARGS[$i]}" == --ses-identity ]]; then SES_IDENTITY=${ARGS[$((i + 1))]:?--ses-identity needs an SES identity ARN}; fi
  if [[ "${ARGS[$i]}" == --from ]]; then FROM=${ARGS[$((i + 1))]:?--from needs an email address}; fi
done
if [[ -n "$SES_IDENTITY" && -z "$FROM" ]]; then echo "--ses-identity needs --from <address>" >&2; exit 2; fi
# The passkey relying party: the host of the page that calls navigator.credentials.
RP_ID=${APP#*://}
RP_ID=${RP_ID%%[:/]*}
SECRET=--generate-secret
[[ " $* " == *" --public "* ]] && SECRET=--no-generate-secret
aws() { command aws --region "$REGION" --output text "$@"; }

# The Worker's default WRITABLE_ATTRIBUTES (src/profile.ts DEFAULT_WRITABLE): the
# app client may write these and nothing else, so a token cannot set custom:* or
# *_verified attributes through Cognito either.
WRITABLE=(name given_name family_name middle_name nickname preferred_username profile picture
  website gender birthdate zoneinfo locale address phone_number email)
FACTORS=(PASSWORD WEB_AUTHN)
WORDS=(password passkey)
if [[ -n "$SMS_ROLE" ]]; then
  VERIFIED=(email phone_number)
  USERNAMES=(email phone_number)
  SMS=(--sms-configuration "SnsCallerArn=$SMS_ROLE,ExternalId=$NAME,SnsRegion=$REGION")
  FACTORS+=(SMS_OTP)
  WORDS+=(sms_otp)
else
  VERIFIED=(email)
  USERNAMES=(email)
  SMS=()
  WRITABLE=("${WRITABLE[@]/phone_number/}")
fi
MAIL=()
if [[ -n "$SES_IDENTITY" ]]; then
  MAIL=(--email-configuration "EmailSendingAccount=DEVELOPER,SourceArn=$SES_IDENTITY,From=$FROM")
  FACTORS+=(EMAIL_OTP)
  WORDS+=(email_otp)
fi
FIRST_FACTORS=$(IFS=,; echo "${FACTORS[*]}")
WRITABLE=(${WRITABLE[@]})
VERIFY_BEFORE_UPDATE=$(IFS=,; echo "${VERIFIED[*]}")

# 1. The pool: email is the username and is verified by code; TOTP is on offer
#    (OPTIONAL: users who enable it get the challenge); passkeys as a sign-in
#    factor beside the password (Essentials plan), for pages on $RP_ID; account
#    recovery by email; Cognito's default password policy (the Worker does not repeat it).
#    A changed email (and, with --sms-role, phone number) stays the old one until
#    the user confirms the new one with a code.
#    Texted and emailed one-time codes are first factors with --sms-role and
#    --ses-identity (Cognito sends them only through SNS and SES).
POOL=$(aws cognito-idp create-user-pool --pool-name "$NAME" \
  --user-pool-tier ESSENTIALS \
  --policies "SignInPolicy={AllowedFirstAuthFactors=[$FIRST_FACTORS]}" \
  --username-attributes "${USERNAMES[@]}" --auto-verified-attributes "${VERIFIED[@]}" \
  --user-attribute-update-settings "AttributesRequireVerificationBeforeUpdate=$VERIFY_BEFORE_UPDATE" \
  ${SMS[@]+"${SMS[@]}"} ${MAIL[@]+"${MAIL[@]}"} \
  --username-configuration CaseSensitive=false \
  --mfa-configuration OFF \
  --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email}]' \
  --deletion-protection ACTIVE \
  --query UserPool.Id)
aws cognito-idp set-user-pool-mfa-config --user-pool-id "$POOL" \
  --software-token-mfa-configuration Enabled=true --mfa-configuration OPTIONAL \
  --web-authn-configuration "RelyingPartyId=$RP_ID,UserVerification=preferred" >/dev/null

# 2. The group /admin/* requires (ADMIN_GROUP, default admin).
aws cognito-idp create-group --user-pool-id "$POOL" --group-name admin \
  --description "cognito-edge administrators" >/dev/null

# 3. The app client the Worker signs users in with. Password sign-in and refresh
#    (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), choice-based sign-in with passkeys
#    and codes (USER_AUTH), token revocation (logout), no
#    "user does not exist" errors (no enumeration), 15-minute access and ID tokens,
#    write access to the Worker's writable attributes only, and the hosted UI:
#    code grant, the Worker's callback, and the scopes /auth/me needs.
CLIENT=$(aws cognito-idp create-user-pool-client --user-pool-id "$POOL" --client-name cognito-edge \
  $SECRET \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_USER_AUTH ALLOW_REFRESH_TOKEN_AUTH \
  --enable-token-revocation --prevent-user-existence-errors ENABLED \
  --access-token-validity 15 --id-token-validity 15 --refresh-token-validity 30 \
  --write-attributes "${WRITABLE[@]}" \
  --token-validity-units AccessToken=minutes,IdToken=minutes,RefreshToken=days \
  --supported-identity-providers COGNITO \
  --allowed-o-auth-flows-user-pool-client --allowed-o-auth-flows code \
  --allowed-o-auth-scopes openid email profile aws.cognito.signin.user.admin \
  --callback-urls "$WORKER/auth/oauth/callback" --logout-urls "$APP" \
  --query UserPoolClient.ClientId)

# 4. A hosted-UI domain (prefix must be unique in the region).
# (od reads exactly 3 bytes: `tr </dev/urandom | head` ends tr with SIGPIPE, which pipefail makes fatal.)
PREFIX="${NAME//[^a-z0-9-]/-}-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
aws cognito-idp create-user-pool-domain --user-pool-id "$POOL" --domain "$PREFIX" >/dev/null

SMS_LINE=
[[ -n "$SMS_ROLE" ]] && SMS_LINE='  SMS_COUNTRY_CODES = "1"   # the calling codes your users have: texts go nowhere else'
cat <<OUT

Pool $POOL and app client $CLIENT created in $REGION.

wrangler.toml:
  [vars]
  AWS_REGION = "$REGION"
  COGNITO_USER_POOL_ID = "$POOL"
  COGNITO_CLIENT_ID = "$CLIENT"
  CORS_ORIGINS = "$APP"
  COGNITO_DOMAIN = "https://$PREFIX.auth.$REGION.amazoncognito.com"
  OAUTH_REDIRECT_URI = "$WORKER/auth/oauth/callback"
  OAUTH_RETURN_ORIGINS = "$APP"
  FIRST_FACTORS = "$(IFS=,; echo "${WORDS[*]}")"
  PASSKEY_RP_ID = "$RP_ID"
$SMS_LINE
  WRITABLE_ATTRIBUTES = "$(IFS=,; echo "${WRITABLE[*]}")"

Secrets (wrangler secret put NAME):
  COGNITO_CLIENT_SECRET   unless --public: aws cognito-idp describe-user-pool-client \\
                          --user-pool-id $POOL --client-id $CLIENT --query UserPoolClient.ClientSecret
  EDGE_SECRET             always: 32+ random bytes, e.g. openssl rand -base64 32 | npx wrangler secret put EDGE_SECRET
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   an IAM user with the admin policy of docs/admin.md on
                          arn:aws:cognito-idp:$REGION:<account id>:userpool/$POOL

First administrator, once they have registered:
  aws cognito-idp admin-add-user-to-group --region $REGION --user-pool-id $POOL \\
    --username <their email> --group-name admin
OUT
