<#--
  The sign-up page of a guest (application-initiated action promote-anonymous). It ships in the extension's
  theme-resources and renders inside the realm's own login theme: the layout, the user-profile fields and the
  register commons come from that theme. Themes of the keycloak.v2 family bring field.ftl, whose macros draw the
  password fields; the older keycloak theme and base get the markup of their own registration page.
  Field names are those of Keycloak's registration page: the profile's attributes, password, password-confirm.
-->
<#import "template.ftl" as layout>
<#import "user-profile-commons.ftl" as userProfileCommons>
<#if anonymousPromotion.fieldMacros>
    <#import "field.ftl" as field>
    <#import "password-validation.ftl" as validator>
</#if>

<#macro passwordField name label>
    <#if field??>
        <@field.password name=name required=true label=label autocomplete="new-password"/>
    <#else>
        <div class="${properties.kcFormGroupClass!}">
            <div class="${properties.kcLabelWrapperClass!}">
                <label for="${name}" class="${properties.kcLabelClass!}">${label}</label>
                <span class="required">*</span>
            </div>
            <div class="${properties.kcInputWrapperClass!}">
                <div class="${properties.kcInputGroup!}" dir="ltr">
                    <input type="password" id="${name}" name="${name}" class="${properties.kcInputClass!}"
                           autocomplete="new-password" aria-invalid="<#if messagesPerField.existsError(name)>true</#if>"/>
                    <button class="${properties.kcFormPasswordVisibilityButtonClass!}" type="button" aria-label="${msg('showPassword')}"
                            aria-controls="${name}" data-password-toggle
                            data-icon-show="${properties.kcFormPasswordVisibilityIconShow!}" data-icon-hide="${properties.kcFormPasswordVisibilityIconHide!}"
                            data-label-show="${msg('showPassword')}" data-label-hide="${msg('hidePassword')}">
                        <i class="${properties.kcFormPasswordVisibilityIconShow!}" aria-hidden="true"></i>
                    </button>
                </div>
                <#if messagesPerField.existsError(name)>
                    <span id="input-error-${name}" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                        ${kcSanitize(messagesPerField.get(name))?no_esc}
                    </span>
                </#if>
            </div>
        </div>
    </#if>
</#macro>
<#-- The browser tab says what the page is, not "Sign in to <realm>" (template.ftl reads the global title). -->
<#global title = msg("anonymousUsers.promoteTitle")>

<@layout.registrationLayout displayMessage=messagesPerField.exists('global') displayRequiredFields=true; section>
    <#if section = "header">
        ${msg("anonymousUsers.promoteTitle")}
    <#elseif section = "form">
        <#if anonymousPromotion.provider?has_content>
            <p id="kc-promote-anonymous-intro" class="${properties.kcFormGroupClass!}">${msg("anonymousUsers.finishWithProvider", anonymousPromotion.provider)}</p>
        <#else>
            <p id="kc-promote-anonymous-intro" class="${properties.kcFormGroupClass!}">${msg("anonymousUsers.promoteIntro")}</p>
        </#if>
        <#-- First thing on the page when the email or username is taken: the visitor may already have an account.
             A form of its own, so that Enter in the sign-up form still means "Create account". -->
        <#if anonymousPromotion.accountExists>
            <form id="kc-sign-in-instead" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <p>${msg("anonymousUsers.accountExists")}</p>
                <input type="hidden" name="email" value="${(profile.attributesByName.email.value)!''}"/>
                <input type="hidden" name="username" value="${(profile.attributesByName.username.value)!''}"/>
                <div class="${properties.kcFormGroupClass!}">
                    <button id="kc-sign-in-instead-button" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!}"
                            type="submit" name="sign-in-instead" value="true">${msg("anonymousUsers.signInInstead")}</button>
                </div>
            </form>
        </#if>
        <form id="kc-promote-anonymous-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@userProfileCommons.userProfileFormFields; callback, attribute>
                <#if callback = "afterField" && !anonymousPromotion.provider?has_content && (attribute.name == 'username' || (attribute.name == 'email' && realm.registrationEmailAsUsername))>
                    <@passwordField name="password" label=msg("password")/>
                    <@passwordField name="password-confirm" label=msg("passwordConfirm")/>
                </#if>
            </@userProfileCommons.userProfileFormFields>


            <div class="${properties.kcFormGroupClass!}">
            <div id="kc-form-buttons" class="${properties.kcFormButtonsClass!}">
                <#-- Finishing a provider's sign-up: its identity proves the account, so no password and no other way. -->
                <#if anonymousPromotion.provider?has_content>
                <button id="kc-promote" class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                        type="submit" name="promote" value="provider">${msg("anonymousUsers.promoteSubmit")}</button>
                <#else>
                <button id="kc-promote" class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                        type="submit" name="promote" value="password">${msg("anonymousUsers.promoteSubmit")}</button>
                <#if anonymousPromotion.passkeys>
                    <button id="kc-promote-passkey" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                            type="submit" name="promote" value="passkey" formnovalidate="formnovalidate">${msg("anonymousUsers.usePasskey")}</button>
                </#if>
                <#if social?? && social.providers?? && social.providers?has_content>
                    <p id="kc-promote-providers-label">${msg("anonymousUsers.useProvider")}</p>
                    <#list social.providers as p>
                        <button id="kc-promote-idp-${p.alias}" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!}"
                                type="submit" name="promote-with-idp" value="${p.alias}" formnovalidate="formnovalidate">${p.displayName!p.alias}</button>
                    </#list>
                </#if>
                </#if>
                <button id="kc-cancel" class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                        type="submit" name="cancel-aia" value="true" formnovalidate="formnovalidate">${msg("doCancel")}</button>
            </div>
            </div>
        </form>
        <#if validator?? && !anonymousPromotion.provider?has_content>
            <@validator.templates/>
            <@validator.script field="password"/>
        <#else>
            <script type="module" src="${url.resourcesPath}/js/passwordVisibility.js"></script>
        </#if>
    </#if>
</@layout.registrationLayout>
