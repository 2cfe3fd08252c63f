<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
    <context>
        <name>Wording</name>
        <message>
            <source>Type the customer's phone number.</source>
            <translation>Andika namba ya simu ya mteja.</translation>
        </message>
        <message>
            <source>This is not a Tanzanian mobile number (e.g. 0712 345 678).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only Tanzanian numbers (+255) can be charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is not a mobile-money number.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{operator} numbers have no mobile wallet ClickPesa can charge.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type the amount in shillings.</source>
            <translation>Andika kiasi kwa shilingi.</translation>
        </message>
        <message>
            <source>Type the amount as a number, e.g. 5000 or 5,000.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Whole shillings only — no cents.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The amount must be more than zero.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The smallest amount is TZS {limit}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The largest amount is TZS {limit}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Authentication failed: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Something unexpected went wrong ({reason}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Payment request failed: the journal could not be written.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Payment request failed: No connection to ClickPesa.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Payment request failed: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set up the computer's keyring, then enter the credentials in Settings. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter the Client ID and API key in Settings (Till → Settings). Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check the Client ID in Settings. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This API key is not allowed for this application: check it in the ClickPesa dashboard. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check the API key in Settings — it may have expired or been revoked. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check the API key in Settings. If the account uses an IP whitelist, this shop's internet address may have changed. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The number is not registered for mobile money. Ask for another number. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enable the Collection API for this application in the ClickPesa dashboard. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The ClickPesa account has no active way to collect payments: contact ClickPesa. Nothing was charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The till made a reference ClickPesa refused; please report this. Nothing was charged — you can try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing was charged. Check the number and the amount and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing new was sent. Look up this reference in the ClickPesa dashboard before taking the payment again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No internet connection — nothing was charged. Check the network and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Too many requests from this shop — nothing was charged. Wait a minute and try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa could not take the request — nothing was charged. Try again in a minute.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa confirms it never received the request — nothing was charged. You can try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The till is asking ClickPesa whether the request arrived. Do not charge again yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing was sent. Check the computer's free disk space, then try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The attempt is kept in the journal and will be checked again. Do not charge again until it is resolved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tell the customer their wallet balance is too low. They can top up and try again, or pay another way.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The customer cancelled the prompt. Ask whether they want to try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The PIN was wrong or not entered. The customer can try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tell the customer the payment did not go through: no money was taken. They can try again or pay another way.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Authentication failed: {reason} — still trying; check Settings.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa asks the till to slow down — checking less often.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Trouble reaching ClickPesa ({reason}) — still checking.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Waiting for the PIN… {m}:{s:02d} left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unknown network</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ready</source>
            <translation>Tayari</translation>
        </message>
        <message>
            <source>Type the customer's phone number and the amount, then press Enter.</source>
            <translation>Andika namba ya simu ya mteja na kiasi, kisha bonyeza Enter.</translation>
        </message>
        <message>
            <source>Sending the payment request…</source>
            <translation>Inatuma ombi la malipo…</translation>
        </message>
        <message>
            <source>TZS {amount} to {phone} ({network}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask the customer to enter their PIN</source>
            <translation>Mwombe mteja aweke PIN yake</translation>
        </message>
        <message>
            <source>A payment prompt for TZS {amount} was sent to {phone} on {network}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking whether the request reached ClickPesa…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The connection broke while sending TZS {amount} to {phone} ({reason}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do not charge again yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The till could not confirm whether the request for TZS {amount} to {phone} reached ClickPesa.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa has not confirmed TZS {amount} from {phone} yet. Ask the customer whether they entered their PIN.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No answer yet</source>
            <translation>Bado hakuna jibu</translation>
        </message>
        <message>
            <source>“Check again” asks ClickPesa once more. “Stop waiting” moves on: the till keeps checking in the background and never marks it failed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Paid</source>
            <translation>Imelipwa</translation>
        </message>
        <message>
            <source>TZS {amount} from {phone} via {network}. ClickPesa id: {id}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The money arrived. Press Enter for the next sale.</source>
            <translation>Pesa imefika. Bonyeza Enter kwa mauzo yanayofuata.</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Imeshindikana</translation>
        </message>
        <message>
            <source>TZS {amount} from {phone} was not paid. ClickPesa says: {message}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the payment failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa reports {status}. {message}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>an unknown status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needs attention</source>
            <translation>Inahitaji uangalizi</translation>
        </message>
        <message>
            <source>Do not hand over the goods until this payment is confirmed in the ClickPesa dashboard (reference {ref}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent — nothing was charged</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>The till is already open on this computer. Use that window.</source>
            <translation>Kaunta tayari imefunguliwa kwenye kompyuta hii. Tumia dirisha hilo.</translation>
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>0712 345 678</source>
            <translation type="unfinished" />
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
            <translation>Kiasi kwa shilingi za Kitanzania</translation>
        </message>
        <message>
            <source>&amp;Phone</source>
            <translation>&amp;Simu</translation>
        </message>
        <message>
            <source>&amp;Amount (TZS)</source>
            <translation>&amp;Kiasi (TZS)</translation>
        </message>
        <message>
            <source>&amp;Charge (Enter)</source>
            <translation>&amp;Toza (Enter)</translation>
        </message>
        <message>
            <source>Check &amp;again</source>
            <translation>Kagua &amp;tena</translation>
        </message>
        <message>
            <source>&amp;Stop waiting</source>
            <translation>&amp;Acha kusubiri</translation>
        </message>
        <message>
            <source>&amp;Try again</source>
            <translation>&amp;Jaribu tena</translation>
        </message>
        <message>
            <source>&amp;Next sale (Enter)</source>
            <translation>&amp;Mauzo yanayofuata (Enter)</translation>
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
            <translation>Kumbukumbu</translation>
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
            <translation>&amp;Kagua tena malipo ambayo hayajathibitishwa</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Funga</translation>
        </message>
        <message>
            <source>{digits} · {network} (likely)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>TZS {amount}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking…</source>
            <translation>Inakagua…</translation>
        </message>
        <message>
            <source>Earlier payment {ref}: TZS {amount} from {phone} is now {status}.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n earlier payment(s) not confirmed yet — the till keeps checking them. Do not charge those customers again.</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message>
            <source>Training today: {n} paid, TZS {total} (not real money)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today: {n} paid, TZS {total}</source>
            <translation>Leo: {n} yamelipwa, TZS {total}</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ClickPesa credentials (kept in the system keyring)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Off</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Canonical (current)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Legacy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reading the keyring…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client ID</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>API key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checksum key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checksum</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Till</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>API address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Till name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Smallest amount (TZS)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Largest amount (TZS)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Wait for the PIN</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Language (after restart)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Test connection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training mode: sales go to the built-in simulator and need no credentials. “Test connection” tests the simulator.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>stored</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not stored</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keyring: {backend}. API key {api}; checksum key {ck}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>stored — leave empty to keep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The smallest amount is above the largest.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Asking ClickPesa for a token…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connection OK: ClickPesa accepted the credentials.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter the Client ID together with the API key.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The settings could not be saved: {error}</source>
            <translation type="unfinished" />
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
            <source>The connection to ClickPesa broke.</source>
            <translation>Muunganisho na ClickPesa ulikatika.</translation>
        </message>
        <message>
            <source>No Client ID or API key is stored on this computer.</source>
            <translation>Hakuna Client ID wala API key iliyohifadhiwa kwenye kompyuta hii.</translation>
        </message>
        <message>
            <source>Setting 'language' = '{value}' is not one of {choices}; using en.</source>
            <translation>Mpangilio 'language' = '{value}' si mojawapo ya {choices}; inatumia en.</translation>
        </message>
        <message>
            <source>Insufficient balance</source>
            <translation>Salio halitoshi</translation>
        </message>
    </context>
</TS>
