<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name></name>
    <message>
        <source>Type the customer&apos;s phone number.</source>
        <translation>Andika namba ya simu ya mteja.</translation>
    </message>
    <message>
        <source>This is not a Tanzanian mobile number (e.g. 0712 345 678).</source>
        <translation>Hii si namba ya simu ya mkononi ya Tanzania (mfano 0712 345 678).</translation>
    </message>
    <message>
        <source>Only Tanzanian numbers (+255) can be charged.</source>
        <translation>Namba za Tanzania (+255) pekee ndizo zinaweza kutozwa.</translation>
    </message>
    <message>
        <source>This is not a mobile-money number.</source>
        <translation>Hii si namba ya pesa kwa simu.</translation>
    </message>
    <message>
        <source>{operator} numbers have no mobile wallet ClickPesa can charge.</source>
        <translation>Namba za {operator} hazina akaunti ya pesa kwa simu ambayo ClickPesa inaweza kutoza.</translation>
    </message>
    <message>
        <source>Type the amount in shillings.</source>
        <translation>Andika kiasi kwa shilingi.</translation>
    </message>
    <message>
        <source>Type the amount as a number, e.g. 5000 or 5,000.</source>
        <translation>Andika kiasi kwa tarakimu, mfano 5000 au 5,000.</translation>
    </message>
    <message>
        <source>Whole shillings only — no cents.</source>
        <translation>Shilingi kamili tu — bila senti.</translation>
    </message>
    <message>
        <source>The amount must be more than zero.</source>
        <translation>Kiasi lazima kiwe zaidi ya sifuri.</translation>
    </message>
    <message>
        <source>The smallest amount is TZS {limit}.</source>
        <translation>Kiasi cha chini kabisa ni TZS {limit}.</translation>
    </message>
    <message>
        <source>The largest amount is TZS {limit}.</source>
        <translation>Kiasi cha juu kabisa ni TZS {limit}.</translation>
    </message>
    <message>
        <source>Authentication failed: {reason}</source>
        <translation>Uthibitisho umeshindikana: {reason}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({reason}).</source>
        <translation>Kuna hitilafu isiyotarajiwa ({reason}).</translation>
    </message>
    <message>
        <source>Payment request failed: the journal could not be written.</source>
        <translation>Ombi la malipo limeshindikana: daftari la malipo halikuweza kuandikwa.</translation>
    </message>
    <message>
        <source>Payment request failed: No connection to ClickPesa.</source>
        <translation>Ombi la malipo limeshindikana: Hakuna muunganisho na ClickPesa.</translation>
    </message>
    <message>
        <source>Payment request failed: {reason}</source>
        <translation>Ombi la malipo limeshindikana: {reason}</translation>
    </message>
    <message>
        <source>Set up the computer&apos;s keyring, then enter the credentials in Settings. Nothing was charged.</source>
        <translation>Weka hifadhi ya siri (keyring) ya kompyuta, kisha ingiza vitambulisho kwenye Mipangilio. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>A stored key contains characters ClickPesa keys never have: enter it again in Settings, copied exactly. Nothing was charged.</source>
        <translation>Ufunguo uliohifadhiwa una herufi ambazo funguo za ClickPesa hazina kamwe: uingize tena kwenye Mipangilio, ukiunakili sawasawa. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Checksum is switched on but no checksum key is stored: enter it in Settings. Nothing was charged.</source>
        <translation>Checksum imewashwa lakini hakuna checksum key iliyohifadhiwa: iingize kwenye Mipangilio. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Enter the Client ID and API key in Settings (Till → Settings). Nothing was charged.</source>
        <translation>Ingiza Client ID na API key kwenye Mipangilio (Kaunta → Mipangilio). Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Check the Client ID in Settings. Nothing was charged.</source>
        <translation>Angalia Client ID kwenye Mipangilio. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>This API key is not allowed for this application: check it in the ClickPesa dashboard. Nothing was charged.</source>
        <translation>API key hii hairuhusiwi kwa programu hii: iangalie kwenye dashibodi ya ClickPesa. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Check the API key in Settings — it may have expired or been revoked. Nothing was charged.</source>
        <translation>Angalia API key kwenye Mipangilio — huenda muda wake umekwisha au imefutwa. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Check the API key in Settings. If the account uses an IP whitelist, this shop&apos;s internet address may have changed. Nothing was charged.</source>
        <translation>Angalia API key kwenye Mipangilio. Kama akaunti inatumia orodha ya anwani za IP zinazoruhusiwa, huenda anwani ya intaneti ya duka hili imebadilika. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>The number is not registered for mobile money. Ask for another number. Nothing was charged.</source>
        <translation>Namba hii haijasajiliwa kwa pesa kwa simu. Omba namba nyingine. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>Enable the Collection API for this application in the ClickPesa dashboard. Nothing was charged.</source>
        <translation>Washa Collection API ya programu hii kwenye dashibodi ya ClickPesa. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>The ClickPesa account has no active way to collect payments: contact ClickPesa. Nothing was charged.</source>
        <translation>Akaunti ya ClickPesa haina njia hai ya kupokea malipo: wasiliana na ClickPesa. Hakuna pesa iliyokatwa.</translation>
    </message>
    <message>
        <source>The till made a reference ClickPesa refused; please report this. Nothing was charged — you can try again.</source>
        <translation>Mfumo ulitengeneza namba ya kumbukumbu ambayo ClickPesa imeikataa; tafadhali ripoti tatizo hili. Hakuna pesa iliyokatwa — unaweza kujaribu tena.</translation>
    </message>
    <message>
        <source>Nothing was charged. Check the number and the amount and try again.</source>
        <translation>Hakuna pesa iliyokatwa. Hakiki namba na kiasi, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>Nothing new was sent. Look up this reference in the ClickPesa dashboard before taking the payment again.</source>
        <translation>Hakuna ombi jipya lililotumwa. Tafuta namba hii ya kumbukumbu kwenye dashibodi ya ClickPesa kabla ya kupokea malipo tena.</translation>
    </message>
    <message>
        <source>No internet connection — nothing was charged. Check the network and try again.</source>
        <translation>Hakuna intaneti — hakuna pesa iliyokatwa. Angalia mtandao, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>Too many requests from this shop — nothing was charged. Wait a minute and try again.</source>
        <translation>Maombi mengi mno kutoka duka hili — hakuna pesa iliyokatwa. Subiri dakika moja, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>ClickPesa could not take the request — nothing was charged. Try again in a minute.</source>
        <translation>ClickPesa haikuweza kupokea ombi — hakuna pesa iliyokatwa. Jaribu tena baada ya dakika moja.</translation>
    </message>
    <message>
        <source>ClickPesa confirms it never received the request — nothing was charged. You can try again.</source>
        <translation>ClickPesa imethibitisha kwamba haikupokea ombi — hakuna pesa iliyokatwa. Unaweza kujaribu tena.</translation>
    </message>
    <message>
        <source>The till is asking ClickPesa whether the request arrived. Do not charge again yet.</source>
        <translation>Mfumo unauliza ClickPesa kama ombi limefika. Usitoze tena kwa sasa.</translation>
    </message>
    <message>
        <source>Nothing was sent. Check the computer&apos;s free disk space, then try again.</source>
        <translation>Hakuna kilichotumwa. Angalia nafasi iliyobaki kwenye diski ya kompyuta, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>The attempt is kept in the journal and will be checked again. Do not charge again until it is resolved.</source>
        <translation>Jaribio hili limehifadhiwa kwenye daftari na litaangaliwa tena. Usitoze tena mpaka lipate jibu.</translation>
    </message>
    <message>
        <source>Tell the customer their wallet balance is too low. They can top up and try again, or pay another way.</source>
        <translation>Mwambie mteja salio lake halitoshi. Anaweza kuongeza salio na kujaribu tena, au alipe kwa njia nyingine.</translation>
    </message>
    <message>
        <source>The customer cancelled the prompt. Ask whether they want to try again.</source>
        <translation>Mteja ameghairi ombi la malipo. Muulize kama anataka kujaribu tena.</translation>
    </message>
    <message>
        <source>The PIN was wrong or not entered. The customer can try again.</source>
        <translation>PIN ilikosewa au haikuwekwa. Mteja anaweza kujaribu tena.</translation>
    </message>
    <message>
        <source>Tell the customer the payment did not go through: no money was taken. They can try again or pay another way.</source>
        <translation>Mwambie mteja malipo hayakufanikiwa: hakuna pesa iliyokatwa. Anaweza kujaribu tena au alipe kwa njia nyingine.</translation>
    </message>
    <message>
        <source>Authentication failed: {reason} — still trying; check Settings.</source>
        <translation>Uthibitisho umeshindikana: {reason} — bado tunajaribu; angalia Mipangilio.</translation>
    </message>
    <message>
        <source>ClickPesa asks the till to slow down — checking less often.</source>
        <translation>ClickPesa imeomba mfumo upunguze kasi — tunaangalia mara chache zaidi.</translation>
    </message>
    <message>
        <source>Trouble reaching ClickPesa ({reason}) — still checking.</source>
        <translation>Kuna shida kuifikia ClickPesa ({reason}) — bado tunaangalia.</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Imelipwa</translation>
    </message>
    <message>
        <source>Failed / not sent</source>
        <translation>Imeshindikana / haijatumwa</translation>
    </message>
    <message>
        <source>Not confirmed yet</source>
        <translation>Bado haijathibitishwa</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Inahitaji kuangaliwa</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Inatuma…</translation>
    </message>
    <message>
        <source>Check first</source>
        <translation>Angalia kwanza</translation>
    </message>
    <message>
        <source>Waiting for the PIN</source>
        <translation>Inasubiri PIN</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Inaangalia…</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Haijatumwa</translation>
    </message>
    <message>
        <source>Enter and Esc do nothing now: the till follows the payment by itself.</source>
        <translation>Enter na Esc hazifanyi kitu sasa: kaunta inafuatilia malipo yenyewe.</translation>
    </message>
    <message>
        <source>Enter or Esc: next sale. Alt+R: try again with the same number and amount.</source>
        <translation>Enter au Esc: mteja anayefuata. Alt+J: jaribu tena kwa namba na kiasi hicho hicho.</translation>
    </message>
    <message>
        <source>Waiting for the PIN… {m}:{s:02d} left</source>
        <translation>Tunasubiri PIN… zimebaki {m}:{s:02d}</translation>
    </message>
    <message>
        <source>unknown network</source>
        <translation>mtandao haujulikani</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Tayari</translation>
    </message>
    <message>
        <source>Type the customer&apos;s phone number and the amount, then press Enter.</source>
        <translation>Andika namba ya simu ya mteja na kiasi, kisha bonyeza Enter.</translation>
    </message>
    <message>
        <source>Sending the payment request…</source>
        <translation>Tunatuma ombi la malipo…</translation>
    </message>
    <message>
        <source>TZS {amount} to {phone} ({network}).</source>
        <translation>TZS {amount} kwa {phone} ({network}).</translation>
    </message>
    <message>
        <source>A payment prompt for TZS {amount} was sent to {phone} on {network}.</source>
        <translation>Ombi la malipo la TZS {amount} limetumwa kwa {phone} kupitia {network}.</translation>
    </message>
    <message>
        <source>(The till was restarted while the customer was paying; it is following this payment again.)</source>
        <translation>(Mfumo ulizimwa na kuwashwa tena mteja akiwa analipa; unafuatilia malipo haya tena.)</translation>
    </message>
    <message>
        <source>Ask the customer to enter their PIN</source>
        <translation>Mwambie mteja aweke PIN yake</translation>
    </message>
    <message>
        <source>The till stopped while sending TZS {amount} to {phone}; it is asking ClickPesa whether the request arrived.</source>
        <translation>Mfumo ulisimama ukituma TZS {amount} kwa {phone}; unauliza ClickPesa kama ombi limefika.</translation>
    </message>
    <message>
        <source>The connection broke while sending TZS {amount} to {phone} ({reason}).</source>
        <translation>Muunganisho ulikatika tukituma TZS {amount} kwa {phone} ({reason}).</translation>
    </message>
    <message>
        <source>Checking whether the prompt reached the customer…</source>
        <translation>Tunaangalia kama ombi limemfikia mteja…</translation>
    </message>
    <message>
        <source>Do not charge again and do not take cash yet: the prompt may still reach the customer&apos;s phone. This can take a minute or two.</source>
        <translation>Usitoze tena na usipokee pesa taslimu bado: ombi linaweza bado kufika kwenye simu ya mteja. Hii inaweza kuchukua dakika moja au mbili.</translation>
    </message>
    <message>
        <source>The till could not confirm whether the request for TZS {amount} to {phone} reached ClickPesa.</source>
        <translation>Mfumo haukuweza kuthibitisha kama ombi la TZS {amount} kwa {phone} limeifikia ClickPesa.</translation>
    </message>
    <message>
        <source>ClickPesa has not confirmed TZS {amount} from {phone} yet. Ask the customer whether they entered their PIN.</source>
        <translation>ClickPesa bado haijathibitisha TZS {amount} kutoka {phone}. Muulize mteja kama ameweka PIN yake.</translation>
    </message>
    <message>
        <source>Still no answer at {time}.</source>
        <translation>Bado hakuna jibu saa {time}.</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Bado hakuna jibu</translation>
    </message>
    <message>
        <source>Enter: “Check again” asks ClickPesa once more. Esc: “Stop waiting” moves on — the till keeps checking in the background and never marks it failed.</source>
        <translation>Enter: “Uliza tena” inauliza ClickPesa mara nyingine. Esc: “Acha kusubiri” inaendelea na mauzo mengine — mfumo unaendelea kuangalia kimyakimya na hautayaita malipo haya yameshindikana.</translation>
    </message>
    <message>
        <source>TZS {amount} from {phone} via {network}. ClickPesa id: {id}.</source>
        <translation>TZS {amount} kutoka {phone} kupitia {network}. Namba ya ClickPesa: {id}.</translation>
    </message>
    <message>
        <source>The money arrived. Press Enter for the next sale.</source>
        <translation>Pesa imeingia. Bonyeza Enter kwa mteja anayefuata.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Imeshindikana</translation>
    </message>
    <message>
        <source>TZS {amount} from {phone} was not paid. ClickPesa says: {message}</source>
        <translation>TZS {amount} kutoka {phone} hazijalipwa. ClickPesa inasema: {message}</translation>
    </message>
    <message>
        <source>the payment failed</source>
        <translation>malipo yameshindikana</translation>
    </message>
    <message>
        <source>Do not hand over the goods until this payment is confirmed in the ClickPesa dashboard (reference {ref}). Enter or Esc: next sale — it stays on the list of payments to check.</source>
        <translation>Usimkabidhi mteja bidhaa mpaka malipo haya yathibitishwe kwenye dashibodi ya ClickPesa (namba ya kumbukumbu {ref}). Enter au Esc: mteja anayefuata — malipo haya yanabaki kwenye orodha ya kuangaliwa.</translation>
    </message>
    <message>
        <source>Not sent — nothing was charged</source>
        <translation>Haijatumwa — hakuna pesa iliyokatwa</translation>
    </message>
    <message>
        <source>ClickPesa says TZS {observed} arrived, not TZS {expected}.</source>
        <translation>ClickPesa inasema zimeingia TZS {observed}, si TZS {expected}.</translation>
    </message>
    <message>
        <source>ClickPesa says it was paid but not how much (the sale was TZS {expected}).</source>
        <translation>ClickPesa inasema imelipwa lakini haisemi kiasi gani (mauzo yalikuwa TZS {expected}).</translation>
    </message>
    <message>
        <source>ClickPesa says the money arrived in {observed}, not in {expected}.</source>
        <translation>ClickPesa inasema pesa imeingia kwa {observed}, si kwa {expected}.</translation>
    </message>
    <message>
        <source>no currency</source>
        <translation>bila sarafu</translation>
    </message>
    <message>
        <source>ClickPesa says it was paid from {observed}, not from {expected}.</source>
        <translation>ClickPesa inasema imelipwa kutoka {observed}, si kutoka {expected}.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment names another reference ({observed}).</source>
        <translation>Malipo ya ClickPesa yanataja namba nyingine ya kumbukumbu ({observed}).</translation>
    </message>
    <message>
        <source>none</source>
        <translation>hakuna</translation>
    </message>
    <message>
        <source>ClickPesa now says this payment was paid after it was reported failed — check with the customer.</source>
        <translation>Sasa ClickPesa inasema malipo haya yamelipwa baada ya kuripotiwa kwamba yameshindikana — hakiki na mteja.</translation>
    </message>
    <message>
        <source>ClickPesa now shows this payment after it was reported not sent — check with the customer.</source>
        <translation>Sasa ClickPesa inaonyesha malipo haya baada ya kuripotiwa kwamba hayakutumwa — hakiki na mteja.</translation>
    </message>
    <message>
        <source>ClickPesa lists several payments for this reference that disagree.</source>
        <translation>ClickPesa inaorodhesha malipo kadhaa yasiyokubaliana kwa namba hii ya kumbukumbu.</translation>
    </message>
    <message>
        <source>ClickPesa now reports this paid payment as not paid — check with the customer and in the ClickPesa dashboard.</source>
        <translation>ClickPesa sasa inasema malipo haya yaliyolipwa hayajalipwa — hakiki na mteja na kwenye dashibodi ya ClickPesa.</translation>
    </message>
    <message>
        <source>ClickPesa reports {status}. {message}</source>
        <translation>ClickPesa inaripoti {status}. {message}</translation>
    </message>
    <message>
        <source>an unknown status</source>
        <translation>hali isiyojulikana</translation>
    </message>
    <message>
        <source>{time} · TZS {amount} · {status}</source>
        <translation>{time} · TZS {amount} · {status}</translation>
    </message>
    <message>
        <source>Nothing was sent</source>
        <translation>Hakuna kilichotumwa</translation>
    </message>
    <message>
        <source>Already paid a moment ago</source>
        <translation>Imeshalipwa muda mfupi uliopita</translation>
    </message>
    <message>
        <source>This number has a payment not confirmed yet</source>
        <translation>Namba hii ina malipo ambayo bado hayajathibitishwa</translation>
    </message>
    <message>
        <source>This number has a payment that needs attention</source>
        <translation>Namba hii ina malipo yanayohitaji kuangaliwa</translation>
    </message>
    <message>
        <source>Nothing was sent. Earlier attempt for {phone}: {line}.</source>
        <translation>Hakuna kilichotumwa. Jaribio la awali kwa {phone}: {line}.</translation>
    </message>
    <message>
        <source>Asking ClickPesa…</source>
        <translation>Tunauliza ClickPesa…</translation>
    </message>
    <message>
        <source>Could not reach ClickPesa ({reason}).</source>
        <translation>Imeshindikana kuifikia ClickPesa ({reason}).</translation>
    </message>
    <message>
        <source>Checked at {time}.</source>
        <translation>Imeangaliwa saa {time}.</translation>
    </message>
    <message>
        <source>The earlier attempt took no money. Enter: charge TZS {amount} now. Esc: back.</source>
        <translation>Jaribio la awali halikukata pesa. Enter: toza TZS {amount} sasa. Esc: rudi.</translation>
    </message>
    <message>
        <source>Enter: check it now. Alt+A: charge anyway (a second prompt — only if the customer is sure the first was not paid). Esc: back.</source>
        <translation>Enter: hakiki sasa. Alt+O: toza hata hivyo (ombi la pili — tu kama mteja ana uhakika la kwanza halikulipwa). Esc: rudi.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>The till is already open on this computer. Use that window.</source>
        <translation>Kaunta tayari imefunguliwa kwenye kompyuta hii. Tumia dirisha hilo.</translation>
    </message>
    <message>
        <source>Nothing can be charged until the till opens. Check that the computer&apos;s disk is not full, then start the till again. If this comes back, send the log files in {folder} to whoever looks after the till.</source>
        <translation>Hakuna malipo yanayoweza kupokelewa mpaka kaunta ifunguke. Hakikisha diski ya kompyuta haijajaa, kisha fungua kaunta tena. Tatizo likirudi, tuma faili za kumbukumbu (log) zilizo kwenye {folder} kwa anayeshughulikia kaunta.</translation>
    </message>
    <message>
        <source>The till could not be opened ({error}).</source>
        <translation>Kaunta haikuweza kufunguliwa ({error}).</translation>
    </message>
</context>
<context>
    <name>AttemptTable</name>
    <message>
        <source>Time</source>
        <translation>Saa</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Simu</translation>
    </message>
    <message>
        <source>Amount (TZS)</source>
        <translation>Kiasi (TZS)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Mtandao</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Kumbukumbu Na.</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Zamu</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Mhudumu</translation>
    </message>
</context>
<context>
    <name>CloseDay</name>
    <message>
        <source>&amp;History…</source>
        <translation>His&amp;toria ya malipo…</translation>
    </message>
    <message>
        <source>&amp;Open shift…</source>
        <translation>Fungua &amp;zamu…</translation>
    </message>
    <message>
        <source>&amp;Close shift…</source>
        <translation>Fun&amp;ga zamu…</translation>
    </message>
    <message>
        <source>&amp;Day report (Z)…</source>
        <translation>&amp;Ripoti ya siku (Z)…</translation>
    </message>
    <message>
        <source>Reco&amp;ncile day…</source>
        <translation>Li&amp;nganisha siku na ClickPesa…</translation>
    </message>
    <message>
        <source>Pr&amp;int confirmation (P)</source>
        <translation>Chapisha uthi&amp;bitisho (P)</translation>
    </message>
    <message>
        <source>Shift {shift} · {cashier}</source>
        <translation>Zamu {shift} · {cashier}</translation>
    </message>
    <message>
        <source>No shift open</source>
        <translation>Hakuna zamu iliyofunguliwa</translation>
    </message>
    <message>
        <source>Only a paid payment has a confirmation to print.</source>
        <translation>Ni malipo yaliyolipwa tu yenye uthibitisho wa kuchapisha.</translation>
    </message>
    <message>
        <source>The confirmation of {ref} went to {where}.</source>
        <translation>Uthibitisho wa {ref} umetumwa kwa {where}.</translation>
    </message>
    <message>
        <source>Printing the confirmation of {ref}…</source>
        <translation>Inachapisha uthibitisho wa {ref}…</translation>
    </message>
    <message>
        <source>Shift {shift} is open for {cashier}.</source>
        <translation>Zamu {shift} imefunguliwa kwa {cashier}.</translation>
    </message>
    <message>
        <source>Shift {shift} is closed.</source>
        <translation>Zamu {shift} imefungwa.</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>History</source>
        <translation>Historia ya malipo</translation>
    </message>
    <message>
        <source>All &amp;dates</source>
        <translation>Tarehe &amp;zote</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Zote</translation>
    </message>
    <message>
        <source>any part, e.g. 0712 345</source>
        <translation>sehemu yoyote, mf. 0712 345</translation>
    </message>
    <message>
        <source>5,000 or 1,000-5,000</source>
        <translation>5,000 au 1,000-5,000</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Kuanzia</translation>
    </message>
    <message>
        <source>T&amp;o</source>
        <translation>H&amp;adi</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>&amp;Hali</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Simu</translation>
    </message>
    <message>
        <source>R&amp;eference</source>
        <translation>Ku&amp;mbukumbu</translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation>K&amp;iasi</translation>
    </message>
    <message>
        <source>Timeline of the selected attempt</source>
        <translation>Mfuatano wa jaribio lililochaguliwa</translation>
    </message>
    <message>
        <source>Reading the journal…</source>
        <translation>Inasoma daftari…</translation>
    </message>
    <message>
        <source>Check &amp;now</source>
        <translation>&amp;Uliza sasa</translation>
    </message>
    <message>
        <source>&amp;Reprint</source>
        <translation>&amp;Chapisha tena</translation>
    </message>
    <message>
        <source>E&amp;xport shown rows to CSV…</source>
        <translation>Hamisha zilizoon&amp;yeshwa kwenda CSV…</translation>
    </message>
    <message>
        <source>The amount must be a number such as 5,000, or a range such as 1,000-5,000.</source>
        <translation>Kiasi kiwe namba kama 5,000, au kati ya namba mbili kama 1,000-5,000.</translation>
    </message>
    <message>
        <source>Shown: {n} of {all} attempts, TZS {amount}. Paid: {paid}, TZS {paid_tzs}.</source>
        <translation>Yanayoonyeshwa: majaribio {n} kati ya {all}, TZS {amount}. Yamelipwa: {paid}, TZS {paid_tzs}.</translation>
    </message>
    <message>
        <source>(still reading older attempts…)</source>
        <translation>(bado inasoma majaribio ya zamani…)</translation>
    </message>
    <message>
        <source>till</source>
        <translation>mfumo</translation>
    </message>
    <message>
        <source>{time} · {change} · {source} · {detail}</source>
        <translation>{time} · {change} · {source} · {detail}</translation>
    </message>
    <message>
        <source>Asking ClickPesa about {ref}…</source>
        <translation>Inauliza ClickPesa kuhusu {ref}…</translation>
    </message>
    <message>
        <source>{ref} checked.</source>
        <translation>{ref} imeulizwa.</translation>
    </message>
    <message>
        <source>Export shown rows</source>
        <translation>Hamisha yanayoonyeshwa</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exported {n} attempt(s) to {path}.</source>
        <translation>Majaribio {n} yamehamishwa kwenda {path}.</translation>
    </message>
    <message>
        <source>The export failed: {error}</source>
        <translation>Kuhamisha kumeshindikana: {error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Malipo POS — training</source>
        <translation>Malipo POS — mafunzo</translation>
    </message>
    <message>
        <source>Malipo POS</source>
        <translation>Malipo POS</translation>
    </message>
    <message>
        <source>TRAINING MODE — no real money moves. Simulated customers by the last digit of the number: 0–4 pay, 5 pays slowly, 6 has too little balance, 7 cancels, 8 never answers, 9 is not a wallet.</source>
        <translation>HALI YA MAFUNZO — hakuna pesa halisi inayohama. Wateja wa kuigiza kwa tarakimu ya mwisho ya namba: 0–4 wanalipa, 5 analipa polepole, 6 salio halitoshi, 7 anaghairi, 8 hajibu kabisa, 9 hana akaunti ya pesa kwa simu.</translation>
    </message>
    <message>
        <source>0712 345 678</source>
        <translation>0712 345 678</translation>
    </message>
    <message>
        <source>Customer phone number</source>
        <translation>Namba ya simu ya mteja</translation>
    </message>
    <message>
        <source>Amount in TZS</source>
        <translation>Kiasi kwa TZS</translation>
    </message>
    <message>
        <source>Amount in Tanzanian shillings</source>
        <translation>Kiasi kwa shilingi za Tanzania</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Simu</translation>
    </message>
    <message>
        <source>&amp;Charge (Enter)</source>
        <translation>&amp;Toza (Enter)</translation>
    </message>
    <message>
        <source>A&amp;mount (TZS)</source>
        <translation>K&amp;iasi (TZS)</translation>
    </message>
    <message>
        <source>&amp;Open Settings…</source>
        <translation>Fungua &amp;Mipangilio…</translation>
    </message>
    <message>
        <source>Check a&amp;gain (Enter)</source>
        <translation>&amp;Uliza tena (Enter)</translation>
    </message>
    <message>
        <source>&amp;Stop waiting (Esc)</source>
        <translation>&amp;Acha kusubiri (Esc)</translation>
    </message>
    <message>
        <source>T&amp;ry again</source>
        <translation>&amp;Jaribu tena</translation>
    </message>
    <message>
        <source>&amp;Next sale (Enter)</source>
        <translation>Mteja a&amp;nayefuata (Enter)</translation>
    </message>
    <message>
        <source>Charge &amp;anyway</source>
        <translation>T&amp;oza hata hivyo</translation>
    </message>
    <message>
        <source>&amp;Back (Esc)</source>
        <translation>&amp;Rudi (Esc)</translation>
    </message>
    <message>
        <source>Payments not confirmed yet</source>
        <translation>Malipo ambayo bado hayajathibitishwa</translation>
    </message>
    <message>
        <source>C&amp;heck selected</source>
        <translation>Angalia iliyo&amp;chaguliwa</translation>
    </message>
    <message>
        <source>Time left for the PIN</source>
        <translation>Muda uliobaki wa kuweka PIN</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Saa</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Simu</translation>
    </message>
    <message>
        <source>Amount (TZS)</source>
        <translation>Kiasi (TZS)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Kumbukumbu Na.</translation>
    </message>
    <message>
        <source>&amp;Till</source>
        <translation>&amp;Kaunta</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Mipangilio…</translation>
    </message>
    <message>
        <source>&amp;Re-check unresolved payments</source>
        <translation>&amp;Kagua tena malipo yasiyothibitishwa</translation>
    </message>
    <message>
        <source>&amp;Export journal to CSV…</source>
        <translation>&amp;Hamisha daftari kwenda CSV…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Lugha</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Funga</translation>
    </message>
    <message>
        <source>Shop server: connected</source>
        <translation>Seva ya duka: imeunganishwa</translation>
    </message>
    <message>
        <source>Shop server: this till was refused (see pos-app shop status)</source>
        <translation>Seva ya duka: kaunta hii imekataliwa (angalia pos-app shop status)</translation>
    </message>
    <message>
        <source>Shop server: not connected — payments are checked as usual</source>
        <translation>Seva ya duka: haijaunganishwa — malipo yanaangaliwa kama kawaida</translation>
    </message>
    <message>
        <source>Asking ClickPesa about the payments not confirmed yet…</source>
        <translation>Tunauliza ClickPesa kuhusu malipo ambayo bado hayajathibitishwa…</translation>
    </message>
    <message>
        <source>Re-check done: no payment was waiting for an answer.</source>
        <translation>Ukaguzi umekamilika: hakuna malipo yaliyokuwa yakisubiri jibu.</translation>
    </message>
    <message numerus="yes">
        <source>%n asked about</source>
        <translation>
            <numerusform>%n limeulizwa</numerusform>
            <numerusform>%n yameulizwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n now paid</source>
        <translation>
            <numerusform>%n sasa limelipwa</numerusform>
            <numerusform>%n sasa yamelipwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not paid</source>
        <translation>
            <numerusform>%n halikulipwa</numerusform>
            <numerusform>%n hayakulipwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n linahitaji kuangaliwa</numerusform>
            <numerusform>%n yanahitaji kuangaliwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n still not confirmed</source>
        <translation>
            <numerusform>%n bado halijathibitishwa</numerusform>
            <numerusform>%n bado hayajathibitishwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be asked (no answer from ClickPesa)</source>
        <translation>
            <numerusform>%n halikuweza kuulizwa (ClickPesa haikujibu)</numerusform>
            <numerusform>%n hayakuweza kuulizwa (ClickPesa haikujibu)</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-check done: {parts}.</source>
        <translation>Ukaguzi umekamilika: {parts}.</translation>
    </message>
    <message numerus="yes">
        <source>Training today: %n paid, TZS {total} (not real money)</source>
        <translation>
            <numerusform>Mafunzo leo: %n imelipwa, TZS {total} (si pesa halisi)</numerusform>
            <numerusform>Mafunzo leo: %n zimelipwa, TZS {total} (si pesa halisi)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Today: %n paid, TZS {total}</source>
        <translation>
            <numerusform>Leo: %n imelipwa, TZS {total}</numerusform>
            <numerusform>Leo: %n zimelipwa, TZS {total}</numerusform>
        </translation>
    </message>
    <message>
        <source>Opening the till…</source>
        <translation>Tunafungua kaunta…</translation>
    </message>
    <message>
        <source>Check it no&amp;w (Enter)</source>
        <translation>&amp;Hakiki sasa (Enter)</translation>
    </message>
    <message>
        <source>That language is not available; the till stays as it is.</source>
        <translation>Lugha hiyo haipatikani; kaunta inabaki kama ilivyo.</translation>
    </message>
    <message>
        <source>The language is changed but could not be saved: {error}</source>
        <translation>Lugha imebadilishwa lakini haikuweza kuhifadhiwa: {error}</translation>
    </message>
    <message>
        <source>{digits} · {network} (likely)</source>
        <translation>{digits} · {network} (inaelekea)</translation>
    </message>
    <message>
        <source>TZS {amount}</source>
        <translation>TZS {amount}</translation>
    </message>
    <message>
        <source>Asking ClickPesa about {ref}…</source>
        <translation>Tunauliza ClickPesa kuhusu {ref}…</translation>
    </message>
    <message>
        <source>{ref}: could not reach ClickPesa at {time} ({reason}).</source>
        <translation>{ref}: imeshindikana kuifikia ClickPesa saa {time} ({reason}).</translation>
    </message>
    <message>
        <source>{ref}: {status} (checked at {time}).</source>
        <translation>{ref}: {status} (imeangaliwa saa {time}).</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Tunaangalia…</translation>
    </message>
    <message>
        <source>Earlier payment {ref}: TZS {amount} from {phone} is now {status}.</source>
        <translation>Malipo ya awali {ref}: TZS {amount} kutoka {phone} sasa: {status}.</translation>
    </message>
    <message numerus="yes">
        <source>%n earlier payment(s) not confirmed yet — the till keeps checking them. Do not charge those customers again.</source>
        <translation>
            <numerusform>Malipo %n ya awali bado hayajathibitishwa — mfumo unaendelea kuyaangalia. Usimtoze mteja huyo tena.</numerusform>
            <numerusform>Malipo %n ya awali bado hayajathibitishwa — mfumo unaendelea kuyaangalia. Usiwatoze wateja hao tena.</numerusform>
        </translation>
    </message>
    <message>
        <source>{time} · {phone} · TZS {amount} · {status}</source>
        <translation>{time} · {phone} · TZS {amount} · {status}</translation>
    </message>
    <message>
        <source>Export journal</source>
        <translation>Hamisha daftari</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n attempt(s) to {path}.</source>
        <translation>
            <numerusform>Jaribio %n limehamishwa kwenda {path}.</numerusform>
            <numerusform>Majaribio %n yamehamishwa kwenda {path}.</numerusform>
        </translation>
    </message>
    <message>
        <source>The export failed: {error}</source>
        <translation>Kuhamisha kumeshindikana: {error}</translation>
    </message>
    <message>
        <source>Quit during a sale?</source>
        <translation>Funga wakati wa mauzo?</translation>
    </message>
    <message>
        <source>A payment is still being followed. It is safe in the journal: if you quit now, the till follows it again on the next start. Quit anyway?</source>
        <translation>Bado kuna malipo yanayofuatiliwa. Yamehifadhiwa salama kwenye daftari: ukifunga sasa, mfumo utayafuatilia tena utakapofunguliwa. Funga hata hivyo?</translation>
    </message>
    <message>
        <source>&amp;Keep the till open</source>
        <translation>&amp;Usifunge kaunta</translation>
    </message>
    <message>
        <source>No ClickPesa credentials can be used on this computer, so nothing can be charged: {reason}</source>
        <translation>Hakuna vitambulisho vya ClickPesa vinavyoweza kutumika kwenye kompyuta hii, kwa hiyo hakuna malipo yanayoweza kupokelewa: {reason}</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>No connection to ClickPesa.</source>
        <translation>Hakuna muunganisho na ClickPesa.</translation>
    </message>
    <message>
        <source>ClickPesa did not answer in time.</source>
        <translation>ClickPesa haikujibu kwa wakati.</translation>
    </message>
    <message>
        <source>The proxy set on this computer (HTTPS_PROXY or ALL_PROXY) is not an http:// proxy, and the till can use no other kind. Nothing was sent.</source>
        <translation>Proxy iliyowekwa kwenye kompyuta hii (HTTPS_PROXY au ALL_PROXY) si proxy ya http://, na mfumo hauwezi kutumia aina nyingine. Hakuna kilichotumwa.</translation>
    </message>
    <message>
        <source>ClickPesa answered HTTP {code}.</source>
        <translation>ClickPesa imejibu HTTP {code}.</translation>
    </message>
    <message>
        <source>The {what} stored on this computer {problem}. Enter it again exactly as ClickPesa shows it (pos-app credentials set, or Till → Settings). Nothing was sent.</source>
        <translation>{what} iliyohifadhiwa kwenye kompyuta hii: {problem}. Iingize tena sawasawa kama ClickPesa inavyoionyesha (pos-app credentials set, au Kaunta → Mipangilio). Hakuna kilichotumwa.</translation>
    </message>
    <message>
        <source>ClickPesa refused the credentials (HTTP {code})</source>
        <translation>ClickPesa imekataa vitambulisho (HTTP {code})</translation>
    </message>
    <message>
        <source>ClickPesa says too many requests; wait a minute.</source>
        <translation>ClickPesa inasema maombi ni mengi mno; subiri dakika moja.</translation>
    </message>
    <message>
        <source>ClickPesa could not issue a token (HTTP {code}).</source>
        <translation>ClickPesa haikuweza kutoa tokeni (HTTP {code}).</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s token reply carries characters that cannot be sent back to it. Nothing was sent; try again in a minute.</source>
        <translation>Jibu la tokeni kutoka ClickPesa lina herufi zisizoweza kurudishwa kwake. Hakuna kilichotumwa; jaribu tena baada ya dakika moja.</translation>
    </message>
    <message>
        <source>The order reference is not alphanumeric (1–20 characters).</source>
        <translation>Namba ya kumbukumbu ya oda si ya herufi na tarakimu tu (herufi 1–20).</translation>
    </message>
    <message>
        <source>Checksum is switched on but no checksum key is stored.</source>
        <translation>Checksum imewashwa lakini hakuna checksum key iliyohifadhiwa.</translation>
    </message>
    <message>
        <source>ClickPesa refused the request (HTTP {code}).</source>
        <translation>ClickPesa imekataa ombi (HTTP {code}).</translation>
    </message>
    <message>
        <source>ClickPesa says too many requests.</source>
        <translation>ClickPesa inasema maombi ni mengi mno.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list sent more payments than were asked for.</source>
        <translation>Orodha ya malipo ya ClickPesa imeleta malipo mengi kuliko yaliyoombwa.</translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation>Hairuhusiwi</translation>
    </message>
    <message>
        <source>The request to ClickPesa could not be prepared: a key or token holds characters that cannot be sent. Nothing was sent.</source>
        <translation>Ombi kwa ClickPesa halikuweza kuandaliwa: ufunguo au tokeni ina herufi zisizoweza kutumwa. Hakuna kilichotumwa.</translation>
    </message>
    <message>
        <source>The proxy set on this computer did not connect to ClickPesa.</source>
        <translation>Proxy iliyowekwa kwenye kompyuta hii haikuunganisha na ClickPesa.</translation>
    </message>
    <message>
        <source>The connection to ClickPesa broke.</source>
        <translation>Muunganisho na ClickPesa ulikatika.</translation>
    </message>
    <message>
        <source>No Client ID or API key is stored on this computer.</source>
        <translation>Hakuna Client ID wala API key iliyohifadhiwa kwenye kompyuta hii.</translation>
    </message>
    <message>
        <source>The till cannot create its lock file {path} ({error}). Check the data folder, then start the till again.</source>
        <translation>Kaunta haiwezi kutengeneza faili lake la kufuli {path} ({error}). Angalia folda ya data, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>Setting &apos;{name}&apos; = &apos;{value}&apos; is not a whole number; using the default.</source>
        <translation>Mpangilio &apos;{name}&apos; = &apos;{value}&apos; si namba kamili; inatumia thamani ya kawaida.</translation>
    </message>
    <message>
        <source>Setting &apos;{name}&apos; = {value} must be between {lo} and {hi}; using the default.</source>
        <translation>Mpangilio &apos;{name}&apos; = {value} lazima uwe kati ya {lo} na {hi}; inatumia thamani ya kawaida.</translation>
    </message>
    <message>
        <source>The settings file {source} cannot be read ({error}); using default settings.</source>
        <translation>Faili la mipangilio {source} haliwezi kusomwa ({error}); inatumia mipangilio ya kawaida.</translation>
    </message>
    <message>
        <source>Setting &apos;base_url&apos;: {reason} Using {default}.</source>
        <translation>Mpangilio &apos;base_url&apos;: {reason} Inatumia {default}.</translation>
    </message>
    <message>
        <source>Setting &apos;checksum_mode&apos; = &apos;{value}&apos; must be off, canonical or legacy; using off.</source>
        <translation>Mpangilio &apos;checksum_mode&apos; = &apos;{value}&apos; lazima uwe off, canonical au legacy; inatumia off.</translation>
    </message>
    <message>
        <source>Setting &apos;language&apos; = &apos;{value}&apos; is not one of {choices}; using en.</source>
        <translation>Mpangilio &apos;language&apos; = &apos;{value}&apos; si mojawapo ya {choices}; inatumia en.</translation>
    </message>
    <message>
        <source>Setting &apos;paper&apos; = &apos;{value}&apos; is not one of {choices}; using 80mm.</source>
        <translation>Mpangilio &apos;paper&apos; = &apos;{value}&apos; si mojawapo ya {choices}; inatumia 80mm.</translation>
    </message>
    <message>
        <source>Setting &apos;{name}&apos; = &apos;{value}&apos; must be yes or no; using no.</source>
        <translation>Mpangilio &apos;{name}&apos; = &apos;{value}&apos; uwe yes au no; inatumia no.</translation>
    </message>
    <message>
        <source>Setting &apos;escpos_address&apos; = &apos;{value}&apos; is not a printer address like 192.168.1.50:9100; receipts use the system printer.</source>
        <translation>Mpangilio &apos;escpos_address&apos; = &apos;{value}&apos; si anwani ya printa kama 192.168.1.50:9100; risiti zinatumia printa ya kompyuta.</translation>
    </message>
    <message>
        <source>min_amount ({low}) is above max_amount ({high}); using the defaults for both.</source>
        <translation>min_amount ({low}) ni zaidi ya max_amount ({high}); inatumia thamani za kawaida kwa zote mbili.</translation>
    </message>
    <message>
        <source>has spaces or line breaks before or after it</source>
        <translation>kuna nafasi au mstari mpya mwanzoni au mwishoni</translation>
    </message>
    <message>
        <source>contains a control character (such as a tab)</source>
        <translation>kuna herufi ya kudhibiti (kama tab) ndani</translation>
    </message>
    <message>
        <source>contains a character that is not plain ASCII (such as an accented letter or a curly quote)</source>
        <translation>kuna herufi isiyo ya ASCII ya kawaida (kama herufi yenye alama au alama ya nukuu iliyopinda)</translation>
    </message>
    <message>
        <source>ClickPesa sent an empty reply.</source>
        <translation>ClickPesa imetuma jibu tupu.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s address answered with a web page instead of data (a proxy or captive portal may be in the way).</source>
        <translation>Anwani ya ClickPesa imejibu kwa ukurasa wa wavuti badala ya data (huenda proxy au ukurasa wa kuingia wa Wi-Fi unazuia).</translation>
    </message>
    <message>
        <source>ClickPesa sent a reply that is not valid JSON.</source>
        <translation>ClickPesa imetuma jibu ambalo si JSON sahihi.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s token reply has an unexpected shape.</source>
        <translation>Jibu la tokeni kutoka ClickPesa lina muundo usiotarajiwa.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s token reply carries no token.</source>
        <translation>Jibu la tokeni kutoka ClickPesa halina tokeni.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s reply to the payment request has an unexpected shape.</source>
        <translation>Jibu la ClickPesa kwa ombi la malipo lina muundo usiotarajiwa.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s reply names a different order reference.</source>
        <translation>Jibu la ClickPesa linataja namba nyingine ya kumbukumbu ya oda.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s status reply has an unexpected shape.</source>
        <translation>Jibu la hali kutoka ClickPesa lina muundo usiotarajiwa.</translation>
    </message>
    <message>
        <source>ClickPesa reports status {status}.</source>
        <translation>ClickPesa inaripoti hali {status}.</translation>
    </message>
    <message>
        <source>ClickPesa lists several payments for this reference that disagree.</source>
        <translation>ClickPesa inaorodhesha malipo kadhaa yasiyokubaliana kwa namba hii ya kumbukumbu.</translation>
    </message>
    <message>
        <source>No secure keyring is available on this computer, so the API key cannot be stored. On Linux install and unlock a Secret Service keyring (GNOME Keyring or KWallet); on Windows and macOS the system keyring is used automatically.</source>
        <translation>Hakuna hifadhi ya siri (keyring) salama kwenye kompyuta hii, kwa hiyo API key haiwezi kuhifadhiwa. Kwenye Linux sakinisha na ufungue keyring ya Secret Service (GNOME Keyring au KWallet); kwenye Windows na macOS keyring ya mfumo hutumika yenyewe.</translation>
    </message>
    <message>
        <source>The {what} {problem}; nothing was stored. Type or paste it again exactly as ClickPesa shows it.</source>
        <translation>{what}: {problem}; hakuna kilichohifadhiwa. Iandike au ibandike tena sawasawa kama ClickPesa inavyoionyesha.</translation>
    </message>
    <message>
        <source>The keyring could not be read ({error}). Unlock the keyring and try again.</source>
        <translation>Keyring haikuweza kusomwa ({error}). Fungua keyring, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>The keyring refused to store the credentials ({error}). Unlock it and try again.</source>
        <translation>Keyring imekataa kuhifadhi vitambulisho ({error}). Ifungue, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>The keyring could not be read ({error}). Unlock it and try again.</source>
        <translation>Keyring haikuweza kusomwa ({error}). Ifungue, kisha jaribu tena.</translation>
    </message>
    <message>
        <source>{path} is one of the till&apos;s own files ({name}); the export was not written and that file is untouched. Choose another file name.</source>
        <translation>{path} ni mojawapo ya faili za kaunta yenyewe ({name}); hakuna kilichohamishwa na faili hilo halijaguswa. Chagua jina jingine la faili.</translation>
    </message>
    <message>
        <source>{path} is a folder; the export was not written. Choose a file name.</source>
        <translation>{path} ni folda; hakuna kilichohamishwa. Chagua jina la faili.</translation>
    </message>
    <message>
        <source>{path} already exists; the export was not written. Choose another file name, or replace it with --force.</source>
        <translation>{path} tayari lipo; hakuna kilichohamishwa. Chagua jina jingine la faili, au libadilishe kwa --force.</translation>
    </message>
    <message>
        <source>The data folder {folder} is read-only, so the till cannot write its journal {path}. Make the folder (and the files in it) writable, then start the till again.</source>
        <translation>Folda ya data {folder} inasomeka tu, kwa hiyo kaunta haiwezi kuandika daftari lake {path}. Ruhusu folda (na faili zilizomo) kuandikwa, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>The disk is full, so the till cannot write its journal {path}. Free some space on the disk, then start the till again.</source>
        <translation>Diski imejaa, kwa hiyo kaunta haiwezi kuandika daftari lake {path}. Ondoa vitu kwenye diski upate nafasi, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>The data folder {folder} is read-only, so the till cannot keep its journal there. Make the folder writable, then start the till again.</source>
        <translation>Folda ya data {folder} inasomeka tu, kwa hiyo kaunta haiwezi kuweka daftari lake humo. Ruhusu folda kuandikwa, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>The disk is full, so the till cannot write to its data folder {folder}. Free some space on the disk, then start the till again.</source>
        <translation>Diski imejaa, kwa hiyo kaunta haiwezi kuandika kwenye folda yake ya data {folder}. Ondoa vitu kwenye diski upate nafasi, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>The till cannot write to its data folder {folder} ({error}). Check the disk, then start the till again.</source>
        <translation>Kaunta haiwezi kuandika kwenye folda yake ya data {folder} ({error}). Angalia diski, kisha fungua kaunta tena.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list holds an entry that is not a payment.</source>
        <translation>Orodha ya malipo ya ClickPesa ina kipengele ambacho si malipo.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list reply has no list of payments.</source>
        <translation>Jibu la orodha ya malipo kutoka ClickPesa halina orodha ya malipo.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list reply has an unreadable total.</source>
        <translation>Jibu la orodha ya malipo kutoka ClickPesa lina jumla isiyosomeka.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list reply has an unexpected shape.</source>
        <translation>Jibu la orodha ya malipo kutoka ClickPesa lina muundo usiotarajiwa.</translation>
    </message>
    <message>
        <source>The API address is empty.</source>
        <translation>Anwani ya API haijaandikwa.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; is not a web address (it must start with https://).</source>
        <translation>&apos;{raw}&apos; si anwani ya wavuti (lazima ianze na https://).</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; uses http:// on a non-local host; only https:// is allowed there.</source>
        <translation>&apos;{raw}&apos; inatumia http:// kwa seva isiyo ya kompyuta hii; huko https:// pekee inaruhusiwa.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; must not carry a query, fragment or password.</source>
        <translation>&apos;{raw}&apos; isiwe na query, fragment wala nenosiri.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; has an invalid port number.</source>
        <translation>&apos;{raw}&apos; ina namba ya port isiyo sahihi.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; is not a valid web address.</source>
        <translation>&apos;{raw}&apos; si anwani sahihi ya wavuti.</translation>
    </message>
    <message>
        <source>No attempt {reference} in the journal.</source>
        <translation>Hakuna jaribio {reference} kwenye daftari.</translation>
    </message>
    <message>
        <source>The journal {path} cannot be opened: {error}</source>
        <translation>Daftari {path} haliwezi kufunguliwa: {error}</translation>
    </message>
    <message>
        <source>The journal {path} cannot be written: {error}</source>
        <translation>Daftari {path} haliwezi kuandikwa: {error}</translation>
    </message>
    <message>
        <source>The journal {path} cannot be read: {error}</source>
        <translation>Daftari {path} haliwezi kusomwa: {error}</translation>
    </message>
    <message>
        <source>The journal {path} was written by a newer version of the till; update the till.</source>
        <translation>Daftari {path} liliandikwa na toleo jipya zaidi la kaunta; sasisha kaunta.</translation>
    </message>
    <message>
        <source>A shift needs the cashier&apos;s name.</source>
        <translation>Zamu inahitaji jina la mhudumu.</translation>
    </message>
    <message>
        <source>A shift is open already; close it first.</source>
        <translation>Zamu tayari imefunguliwa; ifunge kwanza.</translation>
    </message>
    <message>
        <source>There is no shift {shift}.</source>
        <translation>Hakuna zamu {shift}.</translation>
    </message>
    <message>
        <source>Shift {shift} was closed already.</source>
        <translation>Zamu {shift} ilishafungwa.</translation>
    </message>
    <message>
        <source>Not sent: ClickPesa never received the request</source>
        <translation>Haijatumwa: ClickPesa haikupokea ombi</translation>
    </message>
    <message>
        <source>Paid after it was reported failed — check with the customer.</source>
        <translation>Imelipwa baada ya kuripotiwa kwamba imeshindikana — hakiki na mteja.</translation>
    </message>
    <message>
        <source>ClickPesa shows this payment after it was reported not sent — check with the customer.</source>
        <translation>ClickPesa inaonyesha malipo haya baada ya kuripotiwa kwamba hayakutumwa — hakiki na mteja.</translation>
    </message>
    <message>
        <source>ClickPesa now reports this paid payment as not paid — check with the customer and in the ClickPesa dashboard.</source>
        <translation>ClickPesa sasa inasema malipo haya yaliyolipwa hayajalipwa — hakiki na mteja na kwenye dashibodi ya ClickPesa.</translation>
    </message>
    <message>
        <source>ClickPesa kept saying too many requests; nothing was changed. Try again in a few minutes.</source>
        <translation>ClickPesa iliendelea kusema maombi ni mengi mno; hakuna kilichobadilishwa. Jaribu tena baada ya dakika chache.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list could not be read: {reason} Nothing was changed.</source>
        <translation>Orodha ya malipo ya ClickPesa haikuweza kusomwa: {reason} Hakuna kilichobadilishwa.</translation>
    </message>
    <message>
        <source>ClickPesa lists {count} payments: more pages than the till fetches in one run; nothing was changed.</source>
        <translation>ClickPesa inaorodhesha malipo {count}: kurasa nyingi kuliko mfumo unavyosoma kwa mara moja; hakuna kilichobadilishwa.</translation>
    </message>
    <message>
        <source>ClickPesa&apos;s payment list does not end; nothing was changed.</source>
        <translation>Orodha ya malipo ya ClickPesa haina mwisho; hakuna kilichobadilishwa.</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <source>Open shift</source>
        <translation>Fungua zamu</translation>
    </message>
    <message>
        <source>e.g. Neema</source>
        <translation>mf. Neema</translation>
    </message>
    <message>
        <source>Cashier&apos;s &amp;name</source>
        <translation>&amp;Jina la mhudumu</translation>
    </message>
    <message>
        <source>Every payment from now on records this name until the shift is closed.</source>
        <translation>Kila malipo kuanzia sasa yanaandika jina hili hadi zamu ifungwe.</translation>
    </message>
    <message>
        <source>Type the cashier&apos;s name.</source>
        <translation>Andika jina la mhudumu.</translation>
    </message>
</context>
<context>
    <name>Printer</name>
    <message>
        <source>The printer address {host}:{port} is not valid.</source>
        <translation>Anwani ya printa {host}:{port} si sahihi.</translation>
    </message>
    <message>
        <source>The printer {host} cannot be found on the network: check its address in Settings.</source>
        <translation>Printa {host} haipatikani kwenye mtandao: angalia anwani yake kwenye Mipangilio.</translation>
    </message>
    <message>
        <source>The printer at {host}:{port} refused the connection: check that it is switched on and that the port is right.</source>
        <translation>Printa iliyo {host}:{port} imekataa muunganisho: hakikisha imewashwa na port ni sahihi.</translation>
    </message>
    <message>
        <source>The printer at {host}:{port} did not answer: check that it is switched on and connected to the network.</source>
        <translation>Printa iliyo {host}:{port} haikujibu: hakikisha imewashwa na imeunganishwa kwenye mtandao.</translation>
    </message>
    <message>
        <source>The printer at {host}:{port} stopped taking the slip: check its paper and cover, then print again.</source>
        <translation>Printa iliyo {host}:{port} imeacha kupokea risiti: angalia karatasi na mfuniko wake, kisha chapisha tena.</translation>
    </message>
    <message>
        <source>The connection to the printer at {host}:{port} was lost while printing: print again.</source>
        <translation>Muunganisho na printa iliyo {host}:{port} ulikatika ikichapisha: chapisha tena.</translation>
    </message>
    <message>
        <source>The printer at {host}:{port} is out of paper.</source>
        <translation>Printa iliyo {host}:{port} imeishiwa karatasi.</translation>
    </message>
    <message>
        <source>The slip could not be prepared for the printer: {detail}</source>
        <translation>Risiti haikuweza kuandaliwa kwa ajili ya printa: {detail}</translation>
    </message>
    <message>
        <source>No printer is set up on this computer. Add one in the system&apos;s settings, or save the confirmation as PDF.</source>
        <translation>Hakuna printa iliyowekwa kwenye kompyuta hii. Iongeze kwenye mipangilio ya kompyuta, au hifadhi uthibitisho kama PDF.</translation>
    </message>
    <message>
        <source>The printer {name} is not available: check that it is switched on and connected, or choose another printer in Settings.</source>
        <translation>Printa {name} haipatikani: hakikisha imewashwa na imeunganishwa, au chagua printa nyingine kwenye Mipangilio.</translation>
    </message>
    <message>
        <source>The printer {name} reports a problem (switched off, out of paper or jammed): check it, then print again.</source>
        <translation>Printa {name} ina tatizo (imezimwa, imeishiwa karatasi au imekwama): iangalie, kisha chapisha tena.</translation>
    </message>
    <message>
        <source>The PDF {path} could not be written: {error}</source>
        <translation>PDF {path} haikuweza kuandikwa: {error}</translation>
    </message>
    <message>
        <source>The payment itself is not affected.</source>
        <translation>Malipo yenyewe hayajaathirika.</translation>
    </message>
    <message>
        <source>Printing failed ({error}).</source>
        <translation>Kuchapisha kumeshindikana ({error}).</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Tendua</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rudia</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Kata</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Nakili</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Bandika</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Futa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chagua zote</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Sawa</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Hifadhi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Ghairi</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Funga</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>Payment confirmation</source>
        <translation>Uthibitisho wa malipo</translation>
    </message>
    <message>
        <source>Not a TRA fiscal receipt</source>
        <translation>Si risiti ya kodi ya TRA</translation>
    </message>
    <message>
        <source>TRAINING - no money moved</source>
        <translation>MAFUNZO - hakuna pesa iliyohama</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Tarehe</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Kiasi</translation>
    </message>
    <message>
        <source>TZS {amount}</source>
        <translation>TZS {amount}</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Mtandao</translation>
    </message>
    <message>
        <source>Paid from</source>
        <translation>Imelipwa kutoka</translation>
    </message>
    <message>
        <source>ClickPesa payment id</source>
        <translation>Namba ya malipo ClickPesa</translation>
    </message>
    <message>
        <source>Operator transaction id</source>
        <translation>Namba ya muamala ya mtandao</translation>
    </message>
    <message>
        <source>Order reference</source>
        <translation>Kumbukumbu Na.</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kaunta</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Mhudumu</translation>
    </message>
    <message>
        <source>Thank you for your payment!</source>
        <translation>Asante kwa malipo yako!</translation>
    </message>
    <message>
        <source>Only a paid attempt gets a payment confirmation.</source>
        <translation>Uthibitisho wa malipo hutolewa kwa malipo yaliyokamilika tu.</translation>
    </message>
</context>
<context>
    <name>Reconcile</name>
    <message>
        <source>Reconciliation with ClickPesa</source>
        <translation>Ulinganisho na ClickPesa</translation>
    </message>
    <message>
        <source>PAID AT CLICKPESA BUT NOT IN THE TILL: {count}</source>
        <translation>YAMELIPWA CLICKPESA LAKINI HAYAPO KWENYE KAUNTA: {count}</translation>
    </message>
    <message>
        <source>Paid in the till but not at ClickPesa: {count}</source>
        <translation>Yamelipwa kwenye kaunta lakini hayapo ClickPesa: {count}</translation>
    </message>
    <message>
        <source>Paid, but the figures differ: {count}</source>
        <translation>Yamelipwa, lakini takwimu zinatofautiana: {count}</translation>
    </message>
    <message>
        <source>till {till}, ClickPesa {clickpesa}</source>
        <translation>kaunta {till}, ClickPesa {clickpesa}</translation>
    </message>
    <message>
        <source>not listed</source>
        <translation>haipo kwenye orodha</translation>
    </message>
    <message>
        <source>{field}: till {till}, ClickPesa {clickpesa}</source>
        <translation>{field}: kaunta {till}, ClickPesa {clickpesa}</translation>
    </message>
    <message>
        <source>Paid on both sides: {count}, TZS {amount}</source>
        <translation>Yamelipwa pande zote mbili: {count}, TZS {amount}</translation>
    </message>
    <message>
        <source>Not paid on either side: {count}</source>
        <translation>Hayajalipwa upande wowote: {count}</translation>
    </message>
    <message>
        <source>Not listed by ClickPesa (not paid): {count}</source>
        <translation>Hayapo kwenye orodha ya ClickPesa (hayajalipwa): {count}</translation>
    </message>
    <message>
        <source>Other systems: {count}, TZS {amount} paid</source>
        <translation>Mifumo mingine: {count}, TZS {amount} zimelipwa</translation>
    </message>
    <message>
        <source>The till and ClickPesa agree.</source>
        <translation>Kaunta na ClickPesa zinakubaliana.</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>kiasi</translation>
    </message>
    <message>
        <source>currency</source>
        <translation>sarafu</translation>
    </message>
    <message>
        <source>number</source>
        <translation>namba</translation>
    </message>
    <message>
        <source>paid rows</source>
        <translation>mistari iliyolipwa</translation>
    </message>
    <message>
        <source>Likely double charges (refund one): {count}</source>
        <translation>Huenda mteja ametozwa mara mbili (rudisha moja): {count}</translation>
    </message>
    <message>
        <source>  {first} and {second}: TZS {amount} from {phone}</source>
        <translation>  {first} na {second}: TZS {amount} kutoka {phone}</translation>
    </message>
    <message>
        <source>Made final from ClickPesa&apos;s list: {refs}</source>
        <translation>Yamekamilishwa kwa orodha ya ClickPesa: {refs}</translation>
    </message>
    <message>
        <source>ClickPesa rows read: {rows}; API calls: {calls}.</source>
        <translation>Malipo ya ClickPesa yaliyosomwa: {rows}; maombi ya API: {calls}.</translation>
    </message>
</context>
<context>
    <name>ReconcileDialog</name>
    <message>
        <source>Reconcile day with ClickPesa</source>
        <translation>Linganisha siku na ClickPesa</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>&amp;Tarehe</translation>
    </message>
    <message>
        <source>Counting what this will cost…</source>
        <translation>Inahesabu gharama yake…</translation>
    </message>
    <message>
        <source>&amp;Reconcile</source>
        <translation>&amp;Linganisha</translation>
    </message>
    <message>
        <source>&amp;Save as text…</source>
        <translation>&amp;Hifadhi kama maandishi…</translation>
    </message>
    <message>
        <source>This will use about {calls} ClickPesa API call(s): {pages} page(s) of up to {limit} payments{token}, more if other tills or payment links share the account. Accounts before KYC may make 100 calls a day.</source>
        <translation>Hii itatumia takriban maombi {calls} ya API ya ClickPesa: kurasa {pages} za malipo hadi {limit} kila moja{token}, zaidi kama kaunta nyingine au viungo vya malipo vinatumia akaunti hiyo hiyo. Akaunti kabla ya KYC zinaruhusiwa maombi 100 kwa siku.</translation>
    </message>
    <message>
        <source> and one token</source>
        <translation> na tokeni moja</translation>
    </message>
    <message>
        <source>Asking ClickPesa for the payments of {day}…</source>
        <translation>Inaomba ClickPesa malipo ya {day}…</translation>
    </message>
    <message>
        <source>The reconciliation failed ({error}); nothing was changed.</source>
        <translation>Ulinganisho umeshindikana ({error}); hakuna kilichobadilishwa.</translation>
    </message>
    <message>
        <source>Save the reconciliation</source>
        <translation>Hifadhi ulinganisho</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Faili za maandishi (*.txt)</translation>
    </message>
    <message>
        <source>Could not save {path}: {error}</source>
        <translation>Haikuweza kuhifadhi {path}: {error}</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Day report (Z)</source>
        <translation>Ripoti ya siku (Z)</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>Ripoti ya zamu</translation>
    </message>
    <message>
        <source>Till: {name}</source>
        <translation>Kaunta: {name}</translation>
    </message>
    <message>
        <source>Shift: {name}</source>
        <translation>Zamu: {name}</translation>
    </message>
    <message>
        <source>Printed: {time}</source>
        <translation>Imechapishwa: {time}</translation>
    </message>
    <message>
        <source>TRAINING - no money moved</source>
        <translation>MAFUNZO - hakuna pesa iliyohama</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Yamelipwa</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Yameshindikana</translation>
    </message>
    <message>
        <source>Unresolved</source>
        <translation>Hayajathibitishwa</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Yanahitaji kuangaliwa</translation>
    </message>
    <message>
        <source>Attempts: {count}</source>
        <translation>Majaribio: {count}</translation>
    </message>
    <message>
        <source>Paid by network</source>
        <translation>Yaliyolipwa kwa mtandao</translation>
    </message>
    <message>
        <source>Paid by cashier</source>
        <translation>Yaliyolipwa kwa mhudumu</translation>
    </message>
    <message>
        <source>Paid by hour</source>
        <translation>Yaliyolipwa kwa saa</translation>
    </message>
    <message>
        <source>(not given)</source>
        <translation>(haijatajwa)</translation>
    </message>
    <message>
        <source>First sale: {time}</source>
        <translation>Mauzo ya kwanza: {time}</translation>
    </message>
    <message>
        <source>Last sale: {time}</source>
        <translation>Mauzo ya mwisho: {time}</translation>
    </message>
    <message>
        <source>No paid sales.</source>
        <translation>Hakuna mauzo yaliyolipwa.</translation>
    </message>
    <message>
        <source>Unresolved - check again before closing:</source>
        <translation>Hayajathibitishwa - angalia tena kabla ya kufunga:</translation>
    </message>
    <message>
        <source>Needs attention - look at ClickPesa:</source>
        <translation>Yanahitaji kuangaliwa - angalia ClickPesa:</translation>
    </message>
    <message>
        <source>Not included, another mode: {count}</source>
        <translation>Hayajajumuishwa, hali nyingine: {count}</translation>
    </message>
    <message>
        <source>Not included, outside this period: {count}</source>
        <translation>Hayajajumuishwa, nje ya kipindi hiki: {count}</translation>
    </message>
    <message>
        <source>TOTAL PAID TZS {amount}</source>
        <translation>JUMLA ILIYOLIPWA TZS {amount}</translation>
    </message>
</context>
<context>
    <name>ReportWindow</name>
    <message>
        <source>Shift report</source>
        <translation>Ripoti ya zamu</translation>
    </message>
    <message>
        <source>Day report (Z)</source>
        <translation>Ripoti ya siku (Z)</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>&amp;Tarehe</translation>
    </message>
    <message>
        <source>Shift {shift}</source>
        <translation>Zamu {shift}</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;Chapisha</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>&amp;Hifadhi kama PDF…</translation>
    </message>
    <message>
        <source>Paid by hour</source>
        <translation>Yaliyolipwa kwa saa</translation>
    </message>
    <message>
        <source>Save the report as PDF</source>
        <translation>Hifadhi ripoti kama PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Faili za PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Inachapisha…</translation>
    </message>
    <message>
        <source>Sent to {where}.</source>
        <translation>Imetumwa kwa {where}.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Mipangilio</translation>
    </message>
    <message>
        <source>ClickPesa credentials (kept in the system keyring)</source>
        <translation>Vitambulisho vya ClickPesa (vinatunzwa kwenye keyring ya mfumo)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Imezimwa</translation>
    </message>
    <message>
        <source>Canonical (current)</source>
        <translation>Canonical (ya sasa)</translation>
    </message>
    <message>
        <source>Legacy</source>
        <translation>Legacy (ya zamani)</translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation>Tunasoma keyring…</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client ID</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>Checksum key</source>
        <translation>Checksum key</translation>
    </message>
    <message>
        <source>Checksum</source>
        <translation>Checksum</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kaunta</translation>
    </message>
    <message>
        <source> s</source>
        <translation> sek</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>Anwani ya API</translation>
    </message>
    <message>
        <source>Till name</source>
        <translation>Jina la kaunta</translation>
    </message>
    <message>
        <source>Smallest amount (TZS)</source>
        <translation>Kiasi cha chini (TZS)</translation>
    </message>
    <message>
        <source>Largest amount (TZS)</source>
        <translation>Kiasi cha juu (TZS)</translation>
    </message>
    <message>
        <source>Wait for the PIN</source>
        <translation>Muda wa kusubiri PIN</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Lugha</translation>
    </message>
    <message>
        <source>Training mode: sales go to the built-in simulator and need no credentials. “Test connection” tests the simulator. Settings saved here apply to training only.</source>
        <translation>Hali ya mafunzo: mauzo yanaenda kwenye kiigizo kilichojengwa ndani na hayahitaji vitambulisho. “Jaribu muunganisho” inajaribu kiigizo. Mipangilio inayohifadhiwa hapa ni ya mafunzo tu.</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Jaribu muunganisho</translation>
    </message>
    <message>
        <source>Receipts and closing the day</source>
        <translation>Risiti na kufunga siku</translation>
    </message>
    <message>
        <source>e.g. Kariakoo Street 12, Dar es Salaam</source>
        <translation>mf. Mtaa wa Kariakoo 12, Dar es Salaam</translation>
    </message>
    <message>
        <source>e.g. Tel 0712 345 678</source>
        <translation>mf. Simu 0712 345 678</translation>
    </message>
    <message>
        <source>e.g. TIN 123-456-789</source>
        <translation>mf. TIN 123-456-789</translation>
    </message>
    <message>
        <source>(the system&apos;s default printer)</source>
        <translation>(printa ya kawaida ya kompyuta)</translation>
    </message>
    <message>
        <source>58 mm roll</source>
        <translation>Karatasi ya mm 58</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>Karatasi ya mm 80</translation>
    </message>
    <message>
        <source>A4 sheet</source>
        <translation>Karatasi ya A4</translation>
    </message>
    <message>
        <source>Print the confirmation as soon as a payment is paid</source>
        <translation>Chapisha uthibitisho mara malipo yanapolipwa</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:9100 — empty: the printer above</source>
        <translation>mf. 192.168.1.50:9100 — tupu: printa iliyo juu</translation>
    </message>
    <message>
        <source>Reconcile with ClickPesa when a shift is closed</source>
        <translation>Linganisha na ClickPesa zamu inapofungwa</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Jina la duka</translation>
    </message>
    <message>
        <source>Header line {n}</source>
        <translation>Mstari wa juu {n}</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printa</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>Karatasi</translation>
    </message>
    <message>
        <source>Network thermal printer (ESC/POS)</source>
        <translation>Printa ya risiti ya mtandao (ESC/POS)</translation>
    </message>
    <message>
        <source>Payments per page when reconciling</source>
        <translation>Malipo kwa kila ukurasa wakati wa kulinganisha</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>imehifadhiwa</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>haijahifadhiwa</translation>
    </message>
    <message>
        <source>Keyring: {backend}. API key {api}; checksum key {ck}.</source>
        <translation>Keyring: {backend}. API key: {api}; checksum key: {ck}.</translation>
    </message>
    <message>
        <source>stored — leave empty to keep</source>
        <translation>imehifadhiwa — acha wazi ili kuibakiza</translation>
    </message>
    <message>
        <source>The smallest amount is above the largest.</source>
        <translation>Kiasi cha chini ni zaidi ya kiasi cha juu.</translation>
    </message>
    <message>
        <source>The network printer address must look like 192.168.1.50:9100.</source>
        <translation>Anwani ya printa ya mtandao iwe kama 192.168.1.50:9100.</translation>
    </message>
    <message>
        <source>Asking the training simulator for a token…</source>
        <translation>Tunaomba tokeni kutoka kiigizo cha mafunzo…</translation>
    </message>
    <message>
        <source>Asking ClickPesa for a token…</source>
        <translation>Tunaomba tokeni kutoka ClickPesa…</translation>
    </message>
    <message>
        <source>Connection OK: the training simulator answered (training mode: no real money moves).</source>
        <translation>Muunganisho uko sawa: kiigizo cha mafunzo kimejibu (hali ya mafunzo: hakuna pesa halisi inayohama).</translation>
    </message>
    <message>
        <source>Connection OK: ClickPesa accepted the credentials.</source>
        <translation>Muunganisho uko sawa: ClickPesa imekubali vitambulisho.</translation>
    </message>
    <message>
        <source>Enter the Client ID together with the API key.</source>
        <translation>Ingiza Client ID pamoja na API key.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Tunahifadhi…</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>Mipangilio haikuweza kuhifadhiwa: {error}</translation>
    </message>
</context>
</TS>
