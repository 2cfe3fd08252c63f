; Malipo POS — Windows installer (Inno Setup 6). Per-user: no administrator rights needed.
;
; Build the bundle first (python packaging\build.py), then from the repository root:
;   iscc packaging\windows\pos-app.iss
; -> dist\pos-app-<version>-windows-x64-setup.exe
;
; The version comes from the package: build.py writes it into pos-app.exe's version resource
; (packaging\pos_app.spec), and this script reads it back from there. Override with
; /DAppVersion=1.2.3, point at another bundle with /DSourceDir=C:\path\to\pos-app.
;
; Uninstalling removes the program only. The payment journal, settings and logs
; (%LOCALAPPDATA%\pos-app) and the ClickPesa credentials (Windows Credential Manager, service
; "pos-app") stay, so a reinstall or upgrade carries on with the same records; the uninstaller
; says so when it finishes.

#define AppName "Malipo POS"
#define AppExe "pos-app.exe"
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#ifndef SourceDir
  #define SourceDir RepoRoot + "\dist\pos-app"
#endif
#if !FileExists(AddBackslash(SourceDir) + AppExe)
  #error "No dist\pos-app\pos-app.exe: run python packaging\build.py first"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AddBackslash(SourceDir) + AppExe, PRODUCT_VERSION)
#endif

[Setup]
; A fixed AppId: upgrades replace the same installation. Never change it.
AppId={{6F2C1E0B-8D3A-4B5E-9C71-2A4D8E5F0B13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
; Per-user install into %LOCALAPPDATA%\Programs, Start-menu entry in the user's own menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#RepoRoot}\resources\icons\pos-app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; A running till is closed (and restarted) by the Restart Manager during an upgrade.
CloseApplications=yes
RestartApplications=yes
OutputDir={#RepoRoot}\dist
OutputBaseFilename=pos-app-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autoprograms}\{#AppName} (training)"; Filename: "{app}\{#AppExe}"; Parameters: "--training"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: only the files installed above are removed.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    SuppressibleMsgBox(
      '{#AppName} has been removed from this computer.' + #13#10 + #13#10 +
      'Kept on purpose, so no payment record is lost:' + #13#10 +
      '  - the payment journal, settings and logs in ' +
      ExpandConstant('{localappdata}') + '\pos-app' + #13#10 +
      '  - the ClickPesa credentials in Windows Credential Manager (service "pos-app").' +
      #13#10 + #13#10 +
      'Installing {#AppName} again picks them up. To remove them for good, delete that ' +
      'folder and the "pos-app" entries in Credential Manager (or run ' +
      '"pos-app credentials clear" before uninstalling).',
      mbInformation, MB_OK, IDOK);
end;
